"""`tonecheck data check` and `data stats`: every bad input gives a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support.records import WriteJsonl, valid_record
from tonecheck.cli import main
from tonecheck.model.data_check import check_file
from tonecheck.model.records import split_of


def run_check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["data", "check", str(path)])
    return result.exit_code, result.output


def test_valid_file_passes(write_jsonl: WriteJsonl) -> None:
    path = write_jsonl(
        valid_record(), valid_record(id="t2", text="Done: the refund reached your card.")
    )
    code, output = run_check(path)
    assert code == 0, output
    assert "2 records, no problems" in output


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            {"labels": {"knowledge": 2, "intent": 1, "empathy": 0, "standing": 0}},
            "line 1: labels.knowledge: value 2 is not 0 or 1",
        ),
        (
            {"labels": {"knowledge": True, "intent": 1, "empathy": 0, "standing": 0}},
            "labels.knowledge: value True is not 0 or 1",
        ),
        ({"labels": {"knowledge": 1, "intent": 1, "empathy": 0}}, "labels.standing: missing"),
        ({"channel": "fax"}, "channel: value 'fax' is not one of email, chat, social"),
        ({"colour": "blue"}, "line 1: colour: unknown field"),
        ({"text": ""}, "text: must be a non-empty string"),
        ({"text": "x" * 20_001}, "text: 20,001 characters, over the 20,000 limit"),
        (
            {
                "hedges": [
                    {
                        "start": 60,
                        "end": 90,
                        "text": "should be able to",
                        "category": "soft_outcome",
                    }
                ]
            },
            "out of range",
        ),
        (
            {"hedges": [{"start": 0, "end": 2, "text": "Hx", "category": "hope"}]},
            "hedges[0]: text[0:2] is 'Hi', not the hedge text 'Hx'",
        ),
        (
            {"hedges": [{"start": 0, "end": 2, "text": "Hi", "category": "mood"}]},
            "hedges[0].category: value 'mood' is not one of",
        ),
        ({"hedges": [{"start": 0, "end": 2}]}, "hedges[0]: missing field(s) text"),
        ({"hedges": "none"}, "hedges: must be a list, got str"),
        ({"tags": "hard"}, "tags: must be a list of non-empty strings"),
    ],
)
def test_field_problems_name_line_and_field(
    write_jsonl: WriteJsonl, record: dict[str, object], expected: str
) -> None:
    code, output = run_check(write_jsonl(valid_record(**record)))
    assert code == 1
    assert expected in output


def test_missing_required_field(write_jsonl: WriteJsonl) -> None:
    record = valid_record()
    del record["domain"]
    code, output = run_check(write_jsonl(record))
    assert code == 1
    assert "line 1: domain: missing required field" in output


def test_overlapping_spans(write_jsonl: WriteJsonl) -> None:
    text = "I think maybe it works."
    hedges = [
        {"start": 0, "end": 13, "text": "I think maybe", "category": "epistemic"},
        {"start": 8, "end": 13, "text": "maybe", "category": "epistemic"},
    ]
    code, output = run_check(write_jsonl(valid_record(text=text, hedges=hedges)))
    assert code == 1
    assert "spans 0..13 'I think maybe' and 8..13 'maybe' overlap" in output


def test_duplicate_ids_texts_and_near_duplicates(write_jsonl: WriteJsonl) -> None:
    shared = "The replacement router ships from our Leeds warehouse tomorrow morning."
    path = write_jsonl(
        valid_record(id="a", text="First reply, all its own."),
        valid_record(id="a", text="Second reply, different words."),
        valid_record(id="c", text="first reply -- all its own!"),
        valid_record(id="d", text=f"Hello Ann. {shared} Thanks."),
        valid_record(id="e", text=f"Hi Bo, sorry. {shared.upper()}"),
    )
    code, output = run_check(path)
    assert code == 1
    assert "line 2: id: 'a' repeats line 1" in output
    assert "line 3: text: duplicates the text of line 1" in output
    assert "line 5: text: near-duplicate of line 4" in output
    assert "the replacement router ships from our leeds warehouse tomorrow morning" in output


def test_short_shared_sentence_is_not_a_near_duplicate(write_jsonl: WriteJsonl) -> None:
    path = write_jsonl(
        valid_record(id="a", text="Thanks for waiting. Your order left today."),
        valid_record(id="b", text="Thanks for waiting. The invoice is corrected."),
    )
    assert run_check(path)[0] == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"id": "t1", "text": "cut off', "line 1: truncated JSON"),
        (
            b"\xef\xbb\xbf" + json.dumps(valid_record()).encode() + b"\n",
            "line 1: file starts with a UTF-8 byte-order mark",
        ),
        (json.dumps(valid_record()).encode() + b"\r\n", "line 1: line ends with CRLF"),
        (
            b'{"id": "t1", "text": "caf\xe9"}\n',
            "line 1: invalid UTF-8: byte 0xe9 at byte offset 25",
        ),
        (json.dumps(valid_record()).encode() + b"\n\n", "line 2: blank line"),
        (b"name,text\nann,hello\n", "line 1: invalid JSON"),
        (b"name,text\nann,hello\n", "holds no JSON lines: it is not a JSONL file"),
        (b"[1, 2]\n", "line 1: expected a JSON object, got list"),
        (b"\x00\x01\x02\x89PNG\n", "line 1: invalid UTF-8: byte 0x89"),
        (b"[" * 100_000 + b"\n", "line 1: invalid JSON"),
    ],
)
def test_malformed_files_give_clear_errors(
    write_jsonl: WriteJsonl, content: bytes, expected: str
) -> None:
    code, output = run_check(write_jsonl(content))
    assert code == 1
    assert expected in output
    assert "Traceback" not in output


def test_ten_megabyte_line(write_jsonl: WriteJsonl) -> None:
    huge = json.dumps(valid_record(text="a" * 10_000_000)).encode() + b"\n"
    path = write_jsonl(huge, valid_record(id="t2"))
    code, output = run_check(path)
    assert code == 1
    assert "line 1: line is 10,00" in output and "over the 1,048,576-byte limit" in output
    result = check_file(path)
    assert [r.id for r in result.records] == ["t2"]


def test_missing_file(tmp_path: Path) -> None:
    code, output = run_check(tmp_path / "nope.jsonl")
    assert code == 1
    assert "does not exist" in output


def test_every_problem_is_reported_not_just_the_first(write_jsonl: WriteJsonl) -> None:
    path = write_jsonl(
        valid_record(id="a", channel="fax"),
        b"not json\n",
        valid_record(id="c", labels={"knowledge": 1, "intent": 1, "empathy": 0, "standing": 5}),
    )
    code, output = run_check(path)
    assert code == 1
    assert "line 1: channel" in output and "line 2: invalid JSON" in output
    assert "line 3: labels.standing" in output
    assert "3 problem(s)" in output


def test_split_is_a_stable_function_of_id() -> None:
    ids = [f"r{i:04d}" for i in range(2000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    assert 0.17 < splits.count("test") / len(ids) < 0.23


def test_stats_table_and_json(write_jsonl: WriteJsonl) -> None:
    path = write_jsonl(
        valid_record(),
        valid_record(
            id="t2",
            text="Hopefully it works.",
            channel="social",
            labels={"knowledge": 0, "intent": 0, "empathy": 0, "standing": 0},
            hedges=[{"start": 0, "end": 9, "text": "Hopefully", "category": "hope"}],
            tags=["hard", "sarcasm"],
        ),
    )
    result = CliRunner().invoke(main, ["data", "stats", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["records"] == 2
    assert figures["label_combinations"]["1100"] == 1
    assert figures["label_combinations"]["0000"] == 1
    assert figures["hedge_categories"]["hope"] == 1
    assert figures["hedge_categories"]["soft_outcome"] == 1
    assert figures["positive_share"]["knowledge"] == 0.5
    assert figures["hard_cases"] == 1
    assert figures["social_under_280"] == 1
    table = CliRunner().invoke(main, ["data", "stats", str(path)])
    assert "records with a hedge" in table.output and "2 (100.0%)" in table.output


def test_stats_refuses_invalid_file(write_jsonl: WriteJsonl) -> None:
    result = CliRunner().invoke(main, ["data", "stats", str(write_jsonl(b"oops\n"))])
    assert result.exit_code == 1
    assert "line 1: invalid JSON" in result.output
