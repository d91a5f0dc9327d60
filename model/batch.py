"""Scoring many replies: reading JSONL or CSV input and spreading the work with joblib."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from joblib import Parallel, delayed

from model.scorer import TextTooLong, ToneModel, check_text

CHUNK = 500
csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class InputRow:
    """One reply to score; `error` says why it cannot be scored (then text is "")."""

    number: int
    id: str
    text: str
    error: str | None = None
    extra: dict[str, str] | None = None


def read_jsonl_rows(path: Path) -> Iterator[InputRow]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
            except UnicodeDecodeError as error:
                yield InputRow(
                    number, str(number), "", f"line {number}: invalid UTF-8 at byte {error.start}"
                )
                continue
            except json.JSONDecodeError as error:
                yield InputRow(number, str(number), "", f"line {number}: invalid JSON: {error.msg}")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield InputRow(
                    number, str(number), "", f"line {number}: text: missing or not a string"
                )
                continue
            record_id = str(obj.get("id", number))
            extra = {k: str(v) for k, v in obj.items() if k not in ("id", "text") and v is not None}
            yield InputRow(number, record_id, obj["text"], None, extra)


def read_csv_rows(path: Path, text_columns: Sequence[str] = ("text",)) -> Iterator[InputRow]:
    """CSV with a header; the first of `text_columns` present (case-insensitive) is the text."""
    raw = path.read_bytes()
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path}: not UTF-8 (invalid byte 0x{raw[error.start]:02x} at byte {error.start}); "
            "save the export as UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(decoded, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ValueError(f"{path}: no CSV header row ({error})") from None
    lowered = [h.strip().lower() for h in header]
    column = next((lowered.index(c) for c in text_columns if c in lowered), None)
    if column is None:
        raise ValueError(
            f"{path}: no text column; expected one of {', '.join(text_columns)}, found {', '.join(header)}"
        )
    id_column = lowered.index("id") if "id" in lowered else None
    row_number = 1
    while True:
        row_number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield InputRow(
                row_number, str(row_number), "", f"row {row_number}: broken CSV: {error}"
            )
            return
        if not row:
            continue
        if len(row) != len(header):
            yield InputRow(
                row_number,
                str(row_number),
                "",
                f"row {row_number}: {len(row)} fields, the header has {len(header)}",
            )
            continue
        record_id = row[id_column] if id_column is not None else str(row_number - 1)
        extra = {lowered[i]: v for i, v in enumerate(row) if i != column}
        yield InputRow(row_number, record_id, row[column], None, extra)


def read_rows(path: Path) -> Iterator[InputRow]:
    if path.suffix.lower() == ".csv":
        return read_csv_rows(path)
    return read_jsonl_rows(path)


def _score_chunk(model: ToneModel, texts: list[str]) -> list[dict[str, Any]]:
    return [r.as_json() for r in model.score_many(texts)]


def _row_error(row: InputRow) -> str | None:
    if row.error:
        return row.error
    try:
        check_text(row.text)
    except TextTooLong as error:
        return f"row {row.number} (id {row.id}): {error}"
    return None


def score_rows(
    model: ToneModel, rows: Iterable[InputRow], jobs: int = 1
) -> Iterator[tuple[InputRow, dict[str, Any] | None, str | None]]:
    """(row, result, error) for every row, in input order; chunks run in parallel."""
    iterator = iter(rows)
    with Parallel(n_jobs=jobs, backend="loky" if jobs != 1 else "sequential") as parallel:
        while True:
            window = list(islice(iterator, CHUNK * max(1, abs(jobs))))
            if not window:
                return
            errors = [_row_error(r) for r in window]
            good = [r.text for r, e in zip(window, errors, strict=True) if e is None]
            chunks = [good[i : i + CHUNK] for i in range(0, len(good), CHUNK)]
            scored = iter(
                [
                    x
                    for part in parallel(delayed(_score_chunk)(model, c) for c in chunks)
                    for x in part
                ]
            )
            for row, error in zip(window, errors, strict=True):
                yield (row, None, error) if error else (row, next(scored), None)
