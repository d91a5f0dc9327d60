"""Storage: SQLAlchemy Core tables on SQLite (default, WAL mode) or any SQLAlchemy URL.

The schema is versioned in the `meta` table; `Storage.open` applies every
migration a database has not seen yet, so an older file is upgraded on start.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

ROLES = ("agent", "lead")
TOKEN_PREFIX = "tc_"

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


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise StorageError("the database returned no id for the new row")
    return int(key[0])


# One check to store: its column values and its (phrase, category) hedges.
CheckRecord = tuple[dict[str, Any], Sequence[tuple[str, str]]]


class StorageError(Exception):
    """Storage that cannot be opened or used; the message names the database."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's name, role and team."""

    name: str
    role: str
    team: str | None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=2000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if "://" not in url:
        url = f"sqlite:///{url}"
    engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Storage:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Storage:
        """Connect and bring the schema up to `SCHEMA_VERSION`."""
        try:
            engine = make_engine(url)
            storage = cls(engine)
            storage.upgrade()
        except sa.exc.SQLAlchemyError as error:
            raise StorageError(f"database {url!r}: {error.__class__.__name__}: {error}") from error
        return storage

    def schema_version(self, connection: Connection) -> int:
        if not sa.inspect(connection).has_table("meta"):
            return 0
        value = connection.execute(
            sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
        ).scalar()
        return int(value or 0)

    def upgrade(self) -> int:
        with self.engine.begin() as connection:
            if not sa.inspect(connection).has_table("meta"):
                meta_table.create(connection)
            version = self.schema_version(connection)
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"database schema {version} is newer than this tonecheck's {SCHEMA_VERSION}"
                )
            for migration in MIGRATIONS[version:]:
                migration(connection)
            if version == 0:
                connection.execute(meta_table.insert().values(key="schema_version", value="0"))
            connection.execute(
                meta_table.update()
                .where(meta_table.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
        return SCHEMA_VERSION

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sa.select(sa.literal(1)))

    # tokens
    def create_token(self, name: str, role: str, team: str | None = None) -> str:
        if role not in ROLES:
            raise StorageError(f"role {role!r} is not one of {', '.join(ROLES)}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    tokens.insert().values(
                        name=name,
                        role=role,
                        team=team,
                        token_sha256=hash_token(token),
                        created_at=now(),
                    )
                )
        except sa.exc.IntegrityError:
            raise StorageError(f"a token named {name!r} already exists") from None
        return token

    def list_tokens(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(
                    tokens.c.name,
                    tokens.c.role,
                    tokens.c.team,
                    tokens.c.created_at,
                    tokens.c.revoked_at,
                ).order_by(tokens.c.name)
            )
            return [dict(row._mapping) for row in rows]

    def revoke_token(self, name: str) -> None:
        with self.engine.begin() as connection:
            done = connection.execute(
                tokens.update()
                .where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
        if done.rowcount == 0:
            raise StorageError(f"no active token named {name!r}")

    def token_count(self) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(tokens)).scalar() or 0
            )

    def principal_for(self, token: str) -> Principal | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(tokens.c.name, tokens.c.role, tokens.c.team).where(
                    tokens.c.token_sha256 == hash_token(token), tokens.c.revoked_at.is_(None)
                )
            ).first()
        return Principal(row.name, row.role, row.team) if row else None

    # checks and feedback
    def record_check(self, values: dict[str, Any], hedges: Sequence[tuple[str, str]]) -> int:
        return self.record_checks([(values, hedges)])[0]

    def record_checks(self, batch: Sequence[CheckRecord]) -> list[int]:
        """Insert several checks and their hedges in one transaction; returns their ids in order.

        One INSERT per check: SQLite cannot return the ids of a multi-row INSERT in
        order (SQLAlchemy would split it anyway), and MySQL cannot return them at all.
        The one commit is what the batch saves.
        """
        with self.engine.begin() as connection:
            ids = [_inserted_id(connection.execute(checks.insert(), values)) for values, _ in batch]
            hedge_rows = [
                {"check_id": check_id, "phrase": phrase[:255], "category": category}
                for check_id, (_, hedges) in zip(ids, batch, strict=True)
                for phrase, category in hedges
            ]
            if hedge_rows:
                connection.execute(check_hedges.insert(), hedge_rows)
        return ids

    def record_feedback(self, values: dict[str, Any]) -> int:
        with self.engine.begin() as connection:
            return _inserted_id(connection.execute(feedback.insert().values(**values)))

    def list_feedback(self, limit: int | None = None) -> list[dict[str, Any]]:
        query = sa.select(feedback).order_by(feedback.c.id)
        if limit:
            query = query.order_by(None).order_by(feedback.c.id.desc()).limit(limit)
        with self.engine.connect() as connection:
            rows = [dict(r._mapping) for r in connection.execute(query)]
        return sorted(rows, key=lambda r: r["id"])
