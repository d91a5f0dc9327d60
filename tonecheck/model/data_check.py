"""Reading a JSONL file of labeled records and validating each line, then the whole set.

Every problem is reported with its line number and field; nothing is dropped
silently. `read_records` raises `DataError` listing all problems, `check_file`
returns them for the `tonecheck data check` command.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from tonecheck.model.duplicates import find_duplicates
from tonecheck.model.records import CheckResult, DataError, GoldHedge, Problem, Record
from tonecheck.model.types import CHANNELS, HEDGE_CATEGORIES, MAX_TEXT_CHARS, PRINCIPLES

MAX_LINE_BYTES: Final = 1_048_576
REQUIRED_FIELDS: Final = frozenset({"id", "text", "channel", "domain", "labels", "hedges"})
OPTIONAL_FIELDS: Final = frozenset({"customer_message", "tags"})
HEDGE_FIELDS: Final = frozenset({"start", "end", "text", "category"})


def _raw_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        yield from enumerate(handle, start=1)


def _decode_line(number: int, raw: bytes, problems: list[Problem]) -> str | None:
    if len(raw) > MAX_LINE_BYTES:
        problems.append(
            Problem(
                number, "", f"line is {len(raw):,} bytes, over the {MAX_LINE_BYTES:,}-byte limit"
            )
        )
        return None
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(1, "", "file starts with a UTF-8 byte-order mark; save it without"))
        raw = raw[3:]
    if raw.endswith(b"\r\n"):
        problems.append(Problem(number, "", "line ends with CRLF; use LF line ends"))
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        bad = raw[error.start : error.start + 1].hex()
        problems.append(
            Problem(number, "", f"invalid UTF-8: byte 0x{bad} at byte offset {error.start}")
        )
        return None


def _parse_hedges(
    number: int, value: Any, text: str, problems: list[Problem]
) -> tuple[GoldHedge, ...]:
    if not isinstance(value, list):
        problems.append(Problem(number, "hedges", f"must be a list, got {type(value).__name__}"))
        return ()
    hedges: list[GoldHedge] = []
    for index, item in enumerate(value):
        where = f"hedges[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(number, where, "must be an object with start, end, text"))
            continue
        missing = {"start", "end", "text"} - item.keys()
        unknown = item.keys() - HEDGE_FIELDS
        if missing:
            problems.append(
                Problem(number, where, f"missing field(s) {', '.join(sorted(missing))}")
            )
        if unknown:
            problems.append(
                Problem(number, where, f"unknown field(s) {', '.join(sorted(unknown))}")
            )
        if missing:
            continue
        start, end, span = item["start"], item["end"], item["text"]
        if not all(type(v) is int for v in (start, end)):
            problems.append(
                Problem(number, where, f"start and end must be integers, got {start!r}, {end!r}")
            )
            continue
        if not 0 <= start < end <= len(text):
            problems.append(
                Problem(
                    number,
                    where,
                    f"offsets {start}..{end} out of range for a text of {len(text)} characters",
                )
            )
            continue
        if text[start:end] != span:
            problems.append(
                Problem(
                    number,
                    where,
                    f"text[{start}:{end}] is {text[start:end]!r}, not the hedge text {span!r}",
                )
            )
            continue
        category = item.get("category", "")
        if category not in HEDGE_CATEGORIES:
            problems.append(
                Problem(
                    number,
                    f"{where}.category",
                    f"value {category!r} is not one of {', '.join(HEDGE_CATEGORIES)}",
                )
            )
            continue
        hedges.append(GoldHedge(start, end, span, category))
    ordered = sorted(hedges, key=lambda h: (h.start, h.end))
    for first, second in itertools.pairwise(ordered):
        if second.start < first.end:
            problems.append(
                Problem(
                    number,
                    "hedges",
                    f"spans {first.start}..{first.end} {first.text!r} and "
                    f"{second.start}..{second.end} {second.text!r} overlap",
                )
            )
    return tuple(ordered)


def parse_record(number: int, obj: Any, problems: list[Problem]) -> Record | None:
    """Validate one decoded JSON value; append problems and return None when unusable."""
    before = len(problems)
    if not isinstance(obj, dict):
        problems.append(Problem(number, "", f"expected a JSON object, got {type(obj).__name__}"))
        return None
    missing = REQUIRED_FIELDS - obj.keys()
    unknown = obj.keys() - REQUIRED_FIELDS - OPTIONAL_FIELDS
    for name in sorted(missing):
        problems.append(Problem(number, name, "missing required field"))
    for name in sorted(unknown):
        problems.append(Problem(number, name, "unknown field"))
    if missing:
        return None
    for name in ("id", "text", "domain"):
        if not isinstance(obj[name], str) or not obj[name].strip():
            problems.append(Problem(number, name, f"must be a non-empty string, got {obj[name]!r}"))
    text = obj["text"] if isinstance(obj["text"], str) else ""
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            Problem(number, "text", f"{len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit")
        )
    if obj["channel"] not in CHANNELS:
        problems.append(
            Problem(
                number, "channel", f"value {obj['channel']!r} is not one of {', '.join(CHANNELS)}"
            )
        )
    customer = obj.get("customer_message")
    if customer is not None and not isinstance(customer, str):
        problems.append(Problem(number, "customer_message", "must be a string"))
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        problems.append(
            Problem(number, "tags", f"must be a list of non-empty strings, got {tags!r}")
        )
        tags = []
    labels = obj["labels"]
    if not isinstance(labels, dict):
        problems.append(Problem(number, "labels", f"must be an object, got {labels!r}"))
        labels = {}
    else:
        for name in PRINCIPLES:
            if name not in labels:
                problems.append(Problem(number, f"labels.{name}", "missing"))
            elif type(labels[name]) is not int or labels[name] not in (0, 1):
                problems.append(
                    Problem(number, f"labels.{name}", f"value {labels[name]!r} is not 0 or 1")
                )
        for name in sorted(labels.keys() - set(PRINCIPLES)):
            problems.append(Problem(number, f"labels.{name}", "unknown principle"))
    hedges = _parse_hedges(number, obj["hedges"], text, problems)
    if len(problems) > before:
        return None
    return Record(
        id=obj["id"],
        text=text,
        channel=obj["channel"],
        domain=obj["domain"],
        labels={name: int(labels[name]) for name in PRINCIPLES},
        hedges=hedges,
        customer_message=customer,
        tags=tuple(tags),
        line=number,
    )


def _decode_all(path: Path, result: CheckResult) -> list[Record]:
    records: list[Record] = []
    json_lines = 0
    for number, raw in _raw_lines(path):
        line = _decode_line(number, raw, result.problems)
        if line is None:
            continue
        if not line.strip():
            result.problems.append(Problem(number, "", "blank line"))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            stripped = line.strip()
            cut_off = stripped.startswith(("{", "[")) and not stripped.endswith(("}", "]"))
            kind = (
                "truncated JSON (the line ends before the value closes)"
                if cut_off
                else "invalid JSON"
            )
            result.problems.append(
                Problem(number, "", f"{kind}: {error.msg} at column {error.colno}")
            )
            continue
        except RecursionError:
            result.problems.append(Problem(number, "", "invalid JSON: nested too deeply"))
            continue
        json_lines += 1
        record = parse_record(number, obj, result.problems)
        if record is not None:
            records.append(record)
    if json_lines == 0:
        result.problems.append(
            Problem(0, "", f"{path} holds no JSON lines: it is not a JSONL file of records")
        )
    return records


def check_file(path: Path) -> CheckResult:
    """Read and validate a JSONL file: each line, then the whole set (duplicates)."""
    result = CheckResult()
    if not path.is_file():
        result.problems.append(Problem(0, "", f"{path} does not exist or is not a file"))
        return result
    result.records = _decode_all(path, result)
    result.problems.extend(find_duplicates(result.records))
    result.problems.sort(key=lambda p: p.line)
    return result


def read_corpus(paths: Sequence[Path]) -> list[Record]:
    """The records of several files, each valid on its own and no id or text shared between them."""
    records = [(path, r) for path in paths for r in read_records(path)]
    # Numbered across all files, so a clash can be traced back to its file and line.
    numbered = [replace(r, line=n) for n, (_, r) in enumerate(records, start=1)]
    clashes = find_duplicates(numbered)
    if clashes:
        where = {n: f"{path}:{r.line} ({r.id})" for n, (path, r) in enumerate(records, start=1)}
        shown = "\n".join(
            f"{where[c.line]}: {c.field}: "
            + re.sub(r"line (\d+)", lambda m: where[int(m.group(1))], c.message)
            for c in clashes[:20]
        )
        raise DataError(f"{len(clashes)} record(s) clash across the data files\n{shown}")
    return [r for _, r in records]


def read_records(path: Path) -> list[Record]:
    """All records of a valid file; `DataError` listing every problem otherwise."""
    result = check_file(path)
    if result.problems:
        shown = "\n".join(str(p) for p in result.problems[:20])
        more = len(result.problems) - 20
        tail = f"\n... and {more} more problem(s)" if more > 0 else ""
        raise DataError(
            f"{path}: {len(result.problems)} problem(s); run `tonecheck data check {path}`\n"
            f"{shown}{tail}"
        )
    return result.records
