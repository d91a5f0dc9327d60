"""Scoring many replies: reading JSONL or CSV input and spreading the work with joblib.

Readers never stop at a bad row: each one comes back as an `InputRow` with an
`error` (not scored) or a `warning` (scored, but something was guessed), so the
caller can report it with its row number.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from joblib import Parallel, cpu_count, delayed

from tonecheck.model.scorer import ReplyScore, TextTooLong, ToneModel, check_text

CHUNK = 500
PARALLEL_CHUNK = 2000
csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class InputRow:
    """One reply to score; `error` says why it cannot be scored (then text is "")."""

    number: int
    id: str
    text: str
    error: str | None = None
    extra: dict[str, str] | None = None
    warning: str | None = None


# One input row with its scores, or with the reason it was not scored.
ScoredRow = tuple[InputRow, ReplyScore | None, str | None]


def _find_key(keys: Sequence[str], wanted: Sequence[str]) -> str | None:
    lowered = {k.strip().lower(): k for k in reversed(keys)}
    return next((lowered[w] for w in wanted if w in lowered), None)


def read_jsonl_rows(path: Path, text_keys: Sequence[str] = ("text",)) -> Iterator[InputRow]:
    """One JSON object a line; the first of `text_keys` present (case-insensitive) is the text."""
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
            key = _find_key(list(obj), text_keys) if isinstance(obj, dict) else None
            if not isinstance(obj, dict) or key is None or not isinstance(obj[key], str):
                yield InputRow(
                    number,
                    str(number),
                    "",
                    f"line {number}: {'/'.join(text_keys)}: missing or not a string",
                )
                continue
            record_id = str(obj.get("id", number))
            extra = {k: str(v) for k, v in obj.items() if k not in ("id", key) and v is not None}
            yield InputRow(number, record_id, obj[key], None, extra)


def _decode(raw: bytes) -> str:
    """UTF-8 (or UTF-16 with its byte-order mark); bytes that are not UTF-8 are kept as
    surrogate escapes so each row holding one can be dealt with on its own."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig", errors="surrogateescape")


def _escaped_byte(fields: Sequence[str]) -> int | None:
    """The first byte that was not UTF-8, or None when every field decoded."""
    return next((ord(c) - 0xDC00 for f in fields for c in f if "\udc80" <= c <= "\udcff"), None)


def _as_cp1252(fields: Sequence[str]) -> list[str] | None:
    try:
        return [f.encode("utf-8", errors="surrogateescape").decode("cp1252") for f in fields]
    except UnicodeDecodeError:
        return None


def _csv_records(
    text: str, delimiter: str = ","
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(first line, fields, error) per CSV record. After a broken record reading starts
    again on the next line, so one stray quote cannot swallow the rest of the file."""
    lines = list(io.StringIO(text, newline=""))
    start = 0
    while start < len(lines):
        reader = csv.reader(
            (lines[i] for i in range(start, len(lines))), strict=True, delimiter=delimiter
        )
        consumed = 0
        try:
            for fields in reader:
                yield start + consumed + 1, fields, None
                consumed = reader.line_num
            return
        except csv.Error as error:
            yield start + consumed + 1, None, str(error)
            # An unclosed quote ran to the end of the file: resume right after the line it opened on.
            unclosed = "unexpected end of data" in str(error)
            start += consumed + 1 if unclosed else max(reader.line_num, consumed + 1)


DELIMITERS = ",;\t|"


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text, judged on its first lines (`,` when nothing decides)."""
    sample = "".join(io.StringIO(text[:65_536], newline="").readlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_csv_rows(
    path: Path, text_columns: Sequence[str] = ("text",), delimiter: str | None = None
) -> Iterator[InputRow]:
    """CSV with a header; the first of `text_columns` present (case-insensitive) is the text.
    The delimiter is sniffed (`,`, `;`, tab or `|`) unless `delimiter` names it.

    Rows are numbered as a spreadsheet numbers them (the header is row 1). A row with
    broken quoting, the wrong number of fields or bytes in no known encoding comes back
    with an `error`; a row that was not UTF-8 but reads as Windows-1252 is decoded so and
    comes back with a `warning`. Only a file without a usable header raises ValueError.
    """
    try:
        decoded = _decode(path.read_bytes())
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path}: not valid UTF-16 ({error.reason} at byte {error.start})"
        ) from None
    records = _csv_records(decoded, delimiter or sniff_delimiter(decoded))
    _, header, problem = next(records, (1, None, "the file is empty"))
    if header is not None and _escaped_byte(header) is not None:
        header = _as_cp1252(header)
        problem = "its names are in no known encoding"
    if header is None:
        raise ValueError(f"{path}: no CSV header row ({problem})")
    lowered, column, id_column = _columns(path, header, text_columns)
    row_number = 1
    for line, fields, problem in records:
        row_number += 1
        where = f"row {row_number}" + (f" (line {line})" if line != row_number else "")
        if fields is None:
            yield InputRow(
                row_number, str(row_number), "", f"{where}: broken CSV quoting: {problem}"
            )
            continue
        if not fields:
            row_number -= 1
            continue
        if len(fields) != len(header):
            yield InputRow(
                row_number,
                str(row_number),
                "",
                f"{where}: {len(fields)} fields, the header has {len(header)}",
            )
            continue
        warning = None
        bad_byte = _escaped_byte(fields)
        if bad_byte is not None:
            recoded = _as_cp1252(fields)
            if recoded is None:
                yield InputRow(
                    row_number,
                    str(row_number),
                    "",
                    f"{where}: unknown encoding: byte 0x{bad_byte:02x} is not UTF-8 and the row "
                    "is not Windows-1252 either",
                )
                continue
            fields = recoded
            warning = f"{where}: not UTF-8 (byte 0x{bad_byte:02x}); read as Windows-1252"
        record_id = fields[id_column] if id_column is not None else str(row_number - 1)
        extra = {lowered[i]: v for i, v in enumerate(fields) if i != column}
        yield InputRow(row_number, record_id, fields[column], None, extra, warning)


def _columns(
    path: Path, header: Sequence[str], text_columns: Sequence[str]
) -> tuple[list[str], int, int | None]:
    """The lowercased header, the text column's index and the id column's index."""
    lowered = [h.strip().lower() for h in header]
    column = next((lowered.index(c) for c in text_columns if c in lowered), None)
    if column is None:
        raise ValueError(
            f"{path}: no text column; expected one of {', '.join(text_columns)}, found "
            f"{', '.join(header)}; name it with --text-column"
        )
    id_column = lowered.index("id") if "id" in lowered else None
    return lowered, column, id_column


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_rows(path: Path, text_columns: Sequence[str] = ("text",)) -> Iterator[InputRow]:
    """The first sheet of an .xlsx workbook, header in its first row; rows numbered as the
    spreadsheet numbers them."""
    import openpyxl  # only batch reports read .xlsx: the server need not carry it (20 MB)

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValueError(f"{path}: not a readable .xlsx workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or not any(v is not None for v in first):
            raise ValueError(f"{path}: the first sheet has no header row")
        header = [_cell(v) for v in first]
        lowered, column, id_column = _columns(path, header, text_columns)
        for number, values in enumerate(rows, start=2):
            fields = [_cell(v) for v in values][: len(header)]
            fields += [""] * (len(header) - len(fields))
            if not any(fields):
                continue
            record_id = fields[id_column] if id_column is not None else str(number - 1)
            extra = {lowered[i]: v for i, v in enumerate(fields) if i != column}
            yield InputRow(number, record_id, fields[column], None, extra)
    finally:
        workbook.close()


def file_kind(path: Path) -> str:
    """ "jsonl", "xlsx" or "csv": JSONL by its extension (.jsonl, .ndjson), anything else by
    its content, so a CSV saved as .txt is read as CSV. A file that is none of them is a
    ValueError saying what it looks like."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    with path.open("rb") as handle:
        head = handle.read(65_536)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if not head.strip():
        raise ValueError(f"{path}: the file is empty")
    text = _decode(head).lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "jsonl"
    if b"\x00" in head[:4096] or sum(c < 9 for c in head[:4096]) > 4:
        raise ValueError(
            f"{path}: neither CSV, .xlsx nor JSONL (it holds binary data); export the replies "
            "as CSV or .xlsx"
        )
    first_line = text.splitlines()[0] if text else ""
    if not any(d in first_line for d in DELIMITERS):
        raise ValueError(
            f"{path}: neither CSV, .xlsx nor JSONL: its first line {first_line[:60]!r} has no "
            "delimiter (, ; tab |) and it does not start with a JSON object"
        )
    return "csv"


def read_rows(
    path: Path, text_columns: Sequence[str] = ("text",), delimiter: str | None = None
) -> Iterator[InputRow]:
    kind = file_kind(path)
    if kind == "xlsx":
        return read_xlsx_rows(path, text_columns)
    if kind == "csv":
        return read_csv_rows(path, text_columns, delimiter)
    return read_jsonl_rows(path, text_columns)


def _score_chunk(model: ToneModel, texts: list[str], explain: bool) -> list[ReplyScore]:
    return model.score_many(texts, explain=explain)


def _row_error(row: InputRow) -> str | None:
    if row.error:
        return row.error
    try:
        check_text(row.text)
    except TextTooLong as error:
        return f"row {row.number} (id {row.id}): {error}"
    return None


def _windows(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    iterator = iter(rows)
    while window := list(islice(iterator, size)):
        yield window


def _merge(
    window: list[InputRow], errors: list[str | None], scored: list[ReplyScore]
) -> Iterator[ScoredRow]:
    results = iter(scored)
    for row, error in zip(window, errors, strict=True):
        yield (row, None, error) if error else (row, next(results), None)


def score_rows(
    model: ToneModel, rows: Iterable[InputRow], jobs: int = 1, explain: bool = True
) -> Iterator[ScoredRow]:
    """(row, result, error) for every row, in input order.

    With more than one job, chunks stream through joblib's loky workers: the next chunks
    are being scored while this one's results are handed on, and the model is sent once
    per chunk of `PARALLEL_CHUNK` rows rather than per `CHUNK`."""
    workers = jobs if jobs > 0 else max(1, cpu_count() + 1 + jobs)
    if workers == 1:
        for window in _windows(rows, CHUNK):
            errors = [_row_error(r) for r in window]
            good = [r.text for r, e in zip(window, errors, strict=True) if e is None]
            yield from _merge(window, errors, _score_chunk(model, good, explain))
        return
    pending: deque[tuple[list[InputRow], list[str | None]]] = deque()

    def tasks() -> Iterator[Any]:
        for window in _windows(rows, PARALLEL_CHUNK):
            errors = [_row_error(r) for r in window]
            pending.append((window, errors))
            good = [r.text for r, e in zip(window, errors, strict=True) if e is None]
            yield delayed(_score_chunk)(model, good, explain)

    with Parallel(n_jobs=workers, backend="loky", return_as="generator") as parallel:
        for scored in parallel(tasks()):
            window, errors = pending.popleft()
            yield from _merge(window, errors, scored)
