"""The database schema: SQLAlchemy Core tables and the migrations that build them.

The schema is versioned in the `meta` table; `Storage.open` applies every
migration a database has not seen yet, so an older file is upgraded on start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()
meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)
tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(128), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("team", sa.String(128)),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)


def _check_columns() -> list[sa.Column[Any]]:
    """The columns of `checks` in schema 1; schema 2 added `text`."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("agent", sa.String(128), nullable=False, index=True),
        sa.Column("team", sa.String(128), index=True),
        sa.Column("draft_id", sa.String(128), index=True),
        sa.Column("site", sa.String(255)),
        sa.Column("model_version", sa.String(128), nullable=False),
        sa.Column("knowledge", sa.Integer),
        sa.Column("intent", sa.Integer),
        sa.Column("empathy", sa.Integer),
        sa.Column("standing", sa.Integer),
        sa.Column("overall", sa.Integer),
        sa.Column("hedge_count", sa.Integer, nullable=False),
        sa.Column("text_length", sa.Integer, nullable=False),
    ]


checks = sa.Table("checks", metadata, *_check_columns(), sa.Column("text", sa.Text))
check_hedges = sa.Table(
    "check_hedges",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "check_id", sa.ForeignKey("checks.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("phrase", sa.String(255), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
)
feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("agent", sa.String(128), nullable=False),
    sa.Column("draft_id", sa.String(128)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("verdict", sa.String(32), nullable=False),
)


def _migration_1(connection: Connection) -> None:
    """The first schema: tokens, checks (without stored text), feedback."""
    for table in (tokens, feedback):
        table.create(connection)
    sa.Table("checks", sa.MetaData(), *_check_columns()).create(connection)


def _migration_2(connection: Connection) -> None:
    """Stored draft text (opt-in, redacted) and one row per hedge phrase for reports."""
    connection.execute(sa.text("ALTER TABLE checks ADD COLUMN text TEXT"))
    check_hedges.create(connection)


MIGRATIONS: Sequence[Callable[[Connection], None]] = (_migration_1, _migration_2)
SCHEMA_VERSION = len(MIGRATIONS)
