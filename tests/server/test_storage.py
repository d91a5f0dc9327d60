"""Tokens, feedback export, schema upgrades, redaction and offsets."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tonecheck.cli import main
from tonecheck.server.offsets import OffsetError, OffsetMap, utf16_length
from tonecheck.server.redact import redact
from tonecheck.server.schema import MIGRATIONS, SCHEMA_VERSION, meta_table
from tonecheck.server.storage import Storage, make_engine, now


def test_token_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    created = runner.invoke(
        main,
        [
            *("token", "create", "--name", "ana", "--role", "agent"),
            "--team",
            "billing",
            "--create",
            "--db",
            db,
        ],
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("tc_") and len(token) > 40
    with sqlite3.connect(db) as connection:
        [(stored,)] = connection.execute("select token_sha256 from tokens").fetchall()
    assert token not in stored and len(stored) == 64
    duplicate = runner.invoke(
        main, ["token", "create", "--name", "ana", "--role", "agent", "--db", db]
    )
    assert duplicate.exit_code == 1 and "a token named 'ana' already exists" in duplicate.output
    listing = runner.invoke(main, ["token", "list", "--db", db])
    assert "ana\tagent\tbilling" in listing.output and "active" in listing.output
    assert runner.invoke(main, ["token", "revoke", "ana", "--db", db]).exit_code == 0
    assert "revoked" in runner.invoke(main, ["token", "list", "--db", db]).output
    again = runner.invoke(main, ["token", "revoke", "ana", "--db", db])
    assert again.exit_code == 1 and "no active token named 'ana'" in again.output
    assert Storage.open(db).principal_for(token) is None


def test_tokens_for_a_team_rotate_and_move(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    team = tmp_path / "team.csv"
    team.write_text("name,role,team\nana,agent,billing\nbo,,billing\nlee,lead,\n", encoding="utf-8")
    out = tmp_path / "tokens.csv"
    made = runner.invoke(
        main,
        ["token", "create", "--from-csv", str(team), "--out", str(out), "--db", db, "--create"],
    )
    assert made.exit_code == 0, made.output
    assert out.stat().st_mode & 0o777 == 0o600 and "tc_" not in made.output
    lines = out.read_text().splitlines()
    assert lines[0] == "name,role,team,token" and len(lines) == 4
    ana_token = lines[1].split(",")[3]
    listed = json.loads(runner.invoke(main, ["token", "list", "--json", "--db", db]).stdout)
    assert [(t["name"], t["role"], t["team"]) for t in listed] == [
        ("ana", "agent", "billing"),
        ("bo", "agent", "billing"),
        ("lee", "lead", None),
    ]
    header = runner.invoke(main, ["token", "list", "--db", db]).stdout.splitlines()[0]
    assert header == "name\trole\tteam\tcreated\tstatus"
    # one bad row: nothing is created, and the row is named
    bad = tmp_path / "bad.csv"
    bad.write_text("name,role\ncy,agent\ndee,boss\n", encoding="utf-8")
    refused = runner.invoke(main, ["token", "create", "--from-csv", str(bad), "--db", db])
    assert refused.exit_code == 1 and "row 3: role 'boss'" in refused.output
    assert "cy" not in runner.invoke(main, ["token", "list", "--db", db]).output
    # a lost token: revoke, then rotate back under the same name
    assert runner.invoke(main, ["token", "revoke", "ana", "--db", db]).exit_code == 0
    rotated = runner.invoke(main, ["token", "rotate", "ana", "--json", "--db", db])
    assert rotated.exit_code == 0, rotated.output
    new = json.loads(rotated.stdout)["token"]
    storage = Storage.open(db)
    assert storage.principal_for(ana_token) is None
    assert (
        storage.principal_for(new) == storage.principal_for(new)
        and storage.principal_for(new).name == "ana"
    )  # type: ignore[union-attr]
    moved = runner.invoke(main, ["token", "set-team", "ana", "refunds", "--db", db])
    assert moved.exit_code == 0 and Storage.open(db).principal_for(new).team == "refunds"  # type: ignore[union-attr]
    missing = runner.invoke(main, ["token", "rotate", "zed", "--db", db])
    assert missing.exit_code == 1 and "no token named 'zed'" in missing.output


def test_a_database_that_is_not_there_is_not_made_silently(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "elsewhere" / "tonecheck.db"
    db.parent.mkdir()
    for args in (
        ["token", "list"],
        ["token", "revoke", "ana"],
        ["token", "create", "--name", "a", "--role", "agent"],
    ):
        result = runner.invoke(main, [*args, "--db", str(db)])
        assert (
            result.exit_code == 1
            and f"no database at {db}" in result.output
            and "--create" in result.output
        )
    assert not db.exists()
    made = runner.invoke(
        main, ["token", "create", "--name", "a", "--role", "agent", "--db", str(db), "--create"]
    )
    assert made.exit_code == 0 and f"database: {db}" in made.stderr and db.exists()


def test_bad_role_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["token", "create", "--name", "x", "--role", "boss", "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 2 and "'boss' is not one of 'agent', 'lead'" in result.output


def test_feedback_export_writes_training_input(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    storage = Storage.open(db)
    storage.record_feedback(
        {
            "created_at": now(),
            "agent": "ana",
            "draft_id": "d1",
            "text": "Maybe later",
            "start": 0,
            "end": 5,
            "verdict": "not_a_hedge",
        }
    )
    out = tmp_path / "feedback.jsonl"
    result = CliRunner().invoke(main, ["feedback", "export", str(out), "--db", db])
    assert result.exit_code == 0 and "wrote 1 feedback item(s)" in result.output
    assert json.loads(out.read_text()) == {
        "text": "Maybe later",
        "start": 0,
        "end": 5,
        "verdict": "not_a_hedge",
        "draft_id": "d1",
    }
    from tonecheck.model.train import read_feedback

    assert read_feedback(out)[0].verdict == "not_a_hedge"


def test_older_database_is_upgraded_on_open(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = make_engine(str(db))
    with engine.begin() as connection:
        meta_table.create(connection)
        MIGRATIONS[0](connection)
        connection.execute(meta_table.insert().values(key="schema_version", value="1"))
        connection.execute(
            sa.text(
                "insert into checks (created_at, agent, model_version, hedge_count, text_length) "
                "values ('2026-01-01 00:00:00', 'ana', 'v1', 2, 40)"
            )
        )
    engine.dispose()
    storage = Storage.open(str(db))
    with storage.engine.connect() as connection:
        assert storage.schema_version(connection) == SCHEMA_VERSION == 2
        columns = {c["name"] for c in sa.inspect(connection).get_columns("checks")}
        assert "text" in columns and sa.inspect(connection).has_table("check_hedges")
        assert connection.execute(sa.text("select agent, hedge_count from checks")).all() == [
            ("ana", 2)
        ]
    with sqlite3.connect(db) as connection:
        assert connection.execute("pragma journal_mode").fetchone() == ("wal",)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    from tonecheck.server.storage import StorageError

    db = str(tmp_path / "new.db")
    storage = Storage.open(db)
    with storage.engine.begin() as connection:
        connection.execute(meta_table.update().values(value="99"))
    with pytest.raises(StorageError, match="schema 99 is newer than this tonecheck's 2"):
        Storage.open(db)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jo.smith+x@mail.example.co.uk now", "mail [email] now"),
        ("card 4111-1111-1111-1111 ok", "card [card] ok"),
        ("call 020 7946 0958 or +1 (415) 555-0134", "call [phone] or [phone]"),
        ("order 12345 on 2026-11-23, 3-5 days", "order 12345 on 2026-11-23, 3-5 days"),
        (
            "ref 1234567812345678 fails Luhn",
            "ref [phone]5678 fails Luhn"[:0] + "ref 1234567812345678 fails Luhn",
        ),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_utf16_offsets_with_emoji() -> None:
    text = "a😀b👩‍💻c"
    offsets = OffsetMap(text)
    assert [offsets.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7, 9, 10]
    assert offsets.from_utf16(3) == 2
    with pytest.raises(OffsetError, match="inside a surrogate pair"):
        offsets.from_utf16(2)
    with pytest.raises(OffsetError, match="outside the text"):
        offsets.from_utf16(11)


@given(st.text(max_size=50))
def test_offsets_round_trip(text: str) -> None:
    offsets = OffsetMap(text)
    encoded = text.encode("utf-16-le", "surrogatepass")
    assert utf16_length(text) == len(encoded) // 2
    for index in range(len(text) + 1):
        unit = offsets.to_utf16(index)
        assert offsets.from_utf16(unit) == index
        assert encoded[: 2 * unit].decode("utf-16-le", "surrogatepass") == text[:index]


def test_db_backup_copies_a_live_database(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    storage = Storage.open(str(db))
    storage.create_token("ana", "agent")
    copy = tmp_path / "backup.db"
    runner = CliRunner()
    done = runner.invoke(main, ["db", "backup", str(copy), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert "0 checks" in done.output
    assert Storage.open(str(copy)).list_tokens()[0]["name"] == "ana"
    again = runner.invoke(main, ["db", "backup", str(copy), "--db", str(db)])
    assert again.exit_code == 2 and "exists" in again.output
