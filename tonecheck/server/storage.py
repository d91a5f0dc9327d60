"""Storage: every query tonecheck makes, on SQLite (default, WAL mode) or any SQLAlchemy URL.

The tables and their migrations are `schema.py`; nothing outside this module
writes SQL.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tonecheck.reports.figures import MEASURES, CheckRow, ReportFilters
from tonecheck.server.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    check_hedges,
    checks,
    feedback,
    meta_table,
    tokens,
)

ROLES = ("agent", "lead")
TOKEN_PREFIX = "tc_"


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:
        raise StorageError("the database returned no id for the new row")
    return int(key[0])


@dataclass(frozen=True)
class StoredCheck:
    """One check as stored: a row of `checks` plus its (phrase, category) hedges."""

    created_at: datetime
    agent: str
    team: str | None
    draft_id: str | None
    site: str | None
    model_version: str
    knowledge: int | None
    intent: int | None
    empathy: int | None
    standing: int | None
    overall: int | None
    hedge_count: int
    text_length: int
    text: str | None = None
    hedges: Sequence[tuple[str, str]] = field(default=())

    def row(self) -> dict[str, Any]:
        """The values of the `checks` columns."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "hedges"}


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
        return self.create_tokens([(name, role, team)])[0]

    def create_tokens(self, wanted: Sequence[tuple[str, str, str | None]]) -> list[str]:
        """New tokens for (name, role, team) each, in one transaction: all or none."""
        created: list[str] = []
        names = [name for name, _, _ in wanted]
        for name, role, _ in wanted:
            if role not in ROLES:
                raise StorageError(f"{name}: role {role!r} is not one of {', '.join(ROLES)}")
            if names.count(name) > 1:
                raise StorageError(f"the name {name!r} is given more than once")
        try:
            with self.engine.begin() as connection:
                for name, role, team in wanted:
                    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
                    connection.execute(
                        tokens.insert().values(
                            name=name,
                            role=role,
                            team=team,
                            token_sha256=hash_token(token),
                            created_at=now(),
                        )
                    )
                    created.append(token)
        except sa.exc.IntegrityError:
            taken = {row["name"] for row in self.list_tokens()} & set(names)
            raise StorageError(
                f"a token named {', '.join(repr(n) for n in sorted(taken))} already exists; "
                "`tonecheck token rotate NAME` gives it a new secret"
            ) from None
        return created

    def rotate_token(self, name: str) -> str:
        """A new secret for the token called NAME (revoked or not): same name, same history."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            done = connection.execute(
                tokens.update()
                .where(tokens.c.name == name)
                .values(token_sha256=hash_token(token), revoked_at=None)
            )
        if done.rowcount == 0:
            raise StorageError(f"no token named {name!r}")
        return token

    def set_team(self, name: str, team: str | None) -> None:
        """Move the token's future checks to `team`; checks already stored keep theirs."""
        with self.engine.begin() as connection:
            done = connection.execute(
                tokens.update().where(tokens.c.name == name).values(team=team)
            )
        if done.rowcount == 0:
            raise StorageError(f"no token named {name!r}")

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
    def record_check(self, check: StoredCheck) -> int:
        return self.record_checks([check])[0]

    def record_checks(self, batch: Sequence[StoredCheck]) -> list[int]:
        """Insert several checks and their hedges in one transaction; returns their ids in order.

        One INSERT per check: SQLite cannot return the ids of a multi-row INSERT in
        order (SQLAlchemy would split it anyway), and MySQL cannot return them at all.
        The one commit is what the batch saves.
        """
        with self.engine.begin() as connection:
            ids = [_inserted_id(connection.execute(checks.insert(), c.row())) for c in batch]
            hedge_rows = [
                {"check_id": check_id, "phrase": phrase[:255], "category": category}
                for check_id, check in zip(ids, batch, strict=True)
                for phrase, category in check.hedges
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

    # reports
    def report_checks(self, filters: ReportFilters, with_text: bool) -> list[CheckRow]:
        """The scored checks that match `filters`, oldest first, each with its hedges."""
        columns = [checks.c[m] for m in MEASURES]
        query = _report_where(
            sa.select(
                checks.c.id,
                checks.c.created_at,
                checks.c.agent,
                checks.c.team,
                checks.c.draft_id,
                checks.c.text,
                *columns,
            ),
            filters,
        ).order_by(checks.c.created_at, checks.c.id)
        hedge_query = (
            sa.select(check_hedges.c.check_id, check_hedges.c.phrase, check_hedges.c.category)
            .where(check_hedges.c.check_id.in_(_report_where(sa.select(checks.c.id), filters)))
            .order_by(check_hedges.c.id)
        )
        hedges: dict[int, list[tuple[str, str]]] = defaultdict(list)
        with self.engine.connect() as connection:
            for check_id, phrase, category in connection.execute(hedge_query):
                hedges[check_id].append((phrase, category))
            return [
                CheckRow(
                    label=f"draft {row.draft_id}" if row.draft_id else f"check {row.id}",
                    created_at=row.created_at,
                    agent=row.agent,
                    team=row.team,
                    draft=row.draft_id,
                    scores=tuple(int(row._mapping[m] or 0) for m in MEASURES),
                    hedges=tuple(hedges.get(row.id, ())),
                    text=row.text if with_text else None,
                )
                for row in connection.execute(query)
            ]

    def known_names(self) -> tuple[list[str], list[str]]:
        """Every agent and team that has a check, for the filter form."""
        with self.engine.connect() as connection:
            agents = connection.execute(
                sa.select(checks.c.agent).distinct().order_by(checks.c.agent)
            )
            teams = connection.execute(
                sa.select(checks.c.team)
                .where(checks.c.team.is_not(None))
                .distinct()
                .order_by(checks.c.team)
            )
            return [a for (a,) in agents], [t for (t,) in teams]

    def lead_for_hash(self, token_sha256: str) -> str | None:
        """The name of the active lead token with this hash, so a session ends when it is revoked."""
        with self.engine.connect() as connection:
            name = connection.execute(
                sa.select(tokens.c.name).where(
                    tokens.c.token_sha256 == token_sha256,
                    tokens.c.role == "lead",
                    tokens.c.revoked_at.is_(None),
                )
            ).scalar()
        return str(name) if name is not None else None


def _report_where(query: sa.Select[Any], filters: ReportFilters) -> sa.Select[Any]:
    if filters.start:
        query = query.where(checks.c.created_at >= datetime.combine(filters.start, time.min, UTC))
    if filters.end and filters.end < date.max:
        after = filters.end + timedelta(days=1)
        query = query.where(checks.c.created_at < datetime.combine(after, time.min, UTC))
    if filters.agent:
        query = query.where(checks.c.agent == filters.agent)
    if filters.team:
        query = query.where(checks.c.team == filters.team)
    return query.where(checks.c.overall.is_not(None))
