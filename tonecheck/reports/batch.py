"""A batch report: the rows of a helpdesk export, scored, turned into report rows.

Helpdesk exports name their columns differently; the guesses below find the
agent, team, date and ticket of each row. Every row read is either a report row
or a problem: nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from tonecheck.model.batch import InputRow, ScoredRow
from tonecheck.model.types import PRINCIPLES
from tonecheck.reports.figures import MEASURES, CheckRow
from tonecheck.reports.tables import safe_cell


def _names(*names: str) -> tuple[str, ...]:
    """Each name as written, with spaces and with hyphens (`ticket_id`, `ticket id`, `ticket-id`)."""
    return tuple(
        dict.fromkeys(v for n in names for v in (n, n.replace("_", " "), n.replace("_", "-")))
    )


# Helpdesk exports name their columns differently (Zendesk, Freshdesk, Help Scout,
# Intercom, Front, Gorgias among them); a message's own column comes before its ticket's
# ("Comment author" before "Assignee", "Comment created at" before "Created at").
TEXT_COLUMNS = _names(
    "comment_body",
    "body_text",
    "message_body",
    "body",
    "plain_body",
    "comment",
    "message",
    "reply",
    "content",
    "extract",
    "text",
)
AGENT_COLUMNS = _names(
    "comment_author",
    "author_name",
    "author",
    "sender",
    "created_by",
    "agent_name",
    "agent",
    "teammate",
    "assignee_name",
    "assignee",
    "assigned_to",
    "teammate_currently_assigned",
)
TEAM_COLUMNS = _names(
    "team",
    "team_name",
    "group",
    "group_name",
    "assignee_team",
    "team_currently_assigned",
    "inbox",
)
DATE_COLUMNS = _names(
    "comment_created_at",
    "conversation_created_time",
    "message_created",
    "message_date",
    "created_at",
    "created_time",
    "created",
    "date",
    "sent_at",
    "timestamp",
    "time",
)
TICKET_COLUMNS = _names(
    "ticket_id",
    "ticket",
    "conversation_number",
    "conversation_id",
    "conversation",
    "thread_id",
    "id",
)
FALSE_WORDS = frozenset({"false", "no", "0", "n", "f"})
TRUE_WORDS = frozenset({"true", "yes", "1", "y", "t"})


@dataclass(frozen=True)
class ExportColumns:
    """Which columns hold what; a column named on the command line is the only candidate."""

    text: tuple[str, ...] = TEXT_COLUMNS
    agent: tuple[str, ...] = AGENT_COLUMNS
    team: tuple[str, ...] = TEAM_COLUMNS
    date: tuple[str, ...] = DATE_COLUMNS
    ticket: tuple[str, ...] = TICKET_COLUMNS

    @classmethod
    def named(cls, **names: str | None) -> ExportColumns:
        chosen = {k: (v.strip().lower(),) for k, v in names.items() if v}
        return cls(**chosen)


def row_kind(extra: dict[str, str]) -> str:
    """ "reply" for an agent's public reply; "note" for an internal note; "customer" for the
    customer's own message. Exports mix all three; only replies are the agents' tone."""
    value = {k.strip().lower(): v.strip().lower() for k, v in extra.items()}
    flags = {
        "note": [
            value.get("comment public") in FALSE_WORDS,
            value.get("public") in FALSE_WORDS,
            value.get("private") in TRUE_WORDS,
            value.get("internal") in TRUE_WORDS,
            value.get("thread type") in {"note", "internal note"},
            value.get("part type") in {"note", "internal note"},
            value.get("type") in {"note", "internal note"},
        ],
        "customer": [
            value.get("comment author role") in {"end-user", "end user", "requester", "customer"},
            value.get("author role") in {"end-user", "end user", "requester", "customer"},
            value.get("incoming") in TRUE_WORDS,
            value.get("thread type") == "customer",
            value.get("author type") in {"user", "lead", "contact", "customer", "visitor"},
            value.get("direction") in {"inbound", "incoming"},
            value.get("from agent") in FALSE_WORDS,
        ],
    }
    for kind, hits in flags.items():
        if any(hits):
            return kind
    return "reply"


@dataclass
class LeftOut:
    """Rows that are not an agent's public reply, counted as they are skipped."""

    notes: int = 0
    customer: int = 0

    @property
    def total(self) -> int:
        return self.notes + self.customer


def sent_replies(rows: Iterable[InputRow], left_out: LeftOut) -> Iterator[InputRow]:
    """The rows that are agents' public replies; the others are counted in `left_out`."""
    for row in rows:
        kind = row_kind(row.extra or {}) if row.error is None else "reply"
        if kind == "note":
            left_out.notes += 1
        elif kind == "customer":
            left_out.customer += 1
        else:
            yield row


SCORES_HEADER = (
    "row",
    "id",
    "agent",
    "team",
    "created_at",
    "ticket_id",
    *MEASURES,
    "hedges",
    "hedge_phrases",
    "problem",
)


def _pick(extra: dict[str, str], names: Sequence[str]) -> str | None:
    lowered = {k.strip().lower(): v for k, v in extra.items()}
    for name in names:
        value = lowered.get(name, "").strip()
        if value:
            return value
    return None


_SLASH_DATE = re.compile(
    r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?\s*$"
)
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


class DateReader:
    """Reads an export's dates: ISO 8601, or day-first or month-first with slashes, decided
    once for the whole file from the values themselves ("17/03" can only be day-first);
    `date_format` (strptime) settles a file where every date could be either."""

    def __init__(self, values: Sequence[str], date_format: str | None = None) -> None:
        self.date_format = date_format
        self.order: str | None = None
        self.problem: str | None = None
        if date_format:
            return
        day_first = month_first = False
        for value in values:
            found = _SLASH_DATE.match(value)
            if found:
                first, second = int(found.group(1)), int(found.group(2))
                day_first |= first > 12
                month_first |= second > 12
        slashed = [v for v in values if _SLASH_DATE.match(v)]
        if day_first and month_first:
            self.problem = (
                "dates are written both day-first and month-first (e.g. "
                f"{slashed[0]!r}); pass --date-format to read them"
            )
        elif day_first or month_first:
            self.order = "day" if day_first else "month"
        elif slashed:
            self.problem = (
                f"dates such as {slashed[0]!r} could be day-first or month-first; pass "
                "--date-format '%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'; counted without dates"
            )

    def read(self, value: str) -> tuple[datetime | None, str | None]:
        """(the moment in UTC, None), or (None, why it could not be read)."""
        text = value.strip()
        try:
            if self.date_format:
                moment = datetime.strptime(text, self.date_format)
            elif found := _SLASH_DATE.match(text):
                if self.order is None:
                    return None, None  # the file-wide problem says why, once
                first, second, year = (int(found.group(i)) for i in (1, 2, 3))
                day, month = (first, second) if self.order == "day" else (second, first)
                hour, minute = int(found.group(4) or 0), int(found.group(5) or 0)
                if found.group(7) and found.group(7).lower() == "pm" and hour < 12:
                    hour += 12
                year += 2000 if year < 100 else 0
                moment = datetime(year, month, day, hour, minute, int(found.group(6) or 0))
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
        except (ValueError, OverflowError):
            wanted = (
                f"--date-format {self.date_format!r}"
                if self.date_format
                else "ISO 8601 or a day/month date"
            )
            return None, f"date {text[:40]!r} is not {wanted}"
        if not EARLIEST <= moment < LATEST:
            return None, f"date {text[:40]!r} is outside 1970-2199"
        return moment, None


def _clean(value: str | None) -> tuple[str | None, bool]:
    """A name with any lone surrogate (bytes that were no text) replaced, and whether one was."""
    if value is None or not any("\ud800" <= c <= "\udfff" for c in value):
        return value, False
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value), True


def chronological(checks: list[CheckRow]) -> list[CheckRow]:
    """Oldest first when every reply has a date (exports are often newest first), so a
    ticket's first reply is its earliest; otherwise the file's order."""
    if checks and all(c.created_at is not None for c in checks):
        return sorted(checks, key=lambda c: c.created_at or datetime.min)
    return checks


@dataclass
class BatchResult:
    """The report rows, the problems, and one `SCORES_HEADER` row per input row (for --csv)."""

    checks: list[CheckRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    scores: list[list[str]] = field(default_factory=list)


def collect(
    scored: Iterable[ScoredRow],
    show_text: bool,
    jsonl: bool,
    on_problem: Callable[[str], None] = lambda message: None,
    columns: ExportColumns | None = None,
    date_format: str | None = None,
) -> BatchResult:
    """CheckRows from scored rows; every row not scored, or read with a guess, is a problem.

    `on_problem` hears each problem as it is found. Dates are read once every row is in,
    so the file decides whether its slashed dates are day-first or month-first.
    """
    columns = columns or ExportColumns()
    result = BatchResult()
    word = "line" if jsonl else "row"
    pending: list[tuple[int, str, CheckRow | None, list[str]]] = []

    def _warn(message: str) -> None:
        result.problems.append(message)
        on_problem(message)

    for row, scores, problem in scored:
        result.rows += 1
        extra = row.extra or {}
        agent, bad_agent = _clean(_pick(extra, columns.agent))
        team, bad_team = _clean(_pick(extra, columns.team))
        ticket, bad_ticket = _clean(_pick(extra, columns.ticket))
        raw_date = _pick(extra, columns.date) or ""
        if row.warning:
            _warn(row.warning)
        if bad_agent or bad_team or bad_ticket:
            _warn(f"{word} {row.number}: a name holds bytes that are no text; shown as \ufffd")
        if problem is None and scores is not None and scores.overall is None:
            problem = f"{word} {row.number} (id {row.id}): {scores.reason or 'not scored'}"
        values: tuple[int, ...] = ()
        hedges: tuple[tuple[str, str], ...] = ()
        check: CheckRow | None = None
        if problem is not None or scores is None or scores.overall is None:
            _warn(problem or f"{word} {row.number}: not scored")
        else:
            values = (*(int(scores.scores[p] or 0) for p in PRINCIPLES), scores.overall)
            hedges = tuple((h.text, h.category) for h in scores.hedges)
            check = CheckRow(
                f"{ticket or word + ' ' + str(row.number)}",
                None,
                agent,
                team,
                ticket,
                values,
                hedges,
                row.text if show_text else None,
            )
        cells = [str(row.number), row.id, agent or "", team or "", raw_date, ticket or ""]
        cells += [str(v) for v in values] if values else [""] * len(MEASURES)
        cells += [str(len(hedges)), "; ".join(p for p, _ in hedges)] if values else ["", ""]
        cells.append(problem or row.warning or "")
        pending.append((row.number, raw_date, check, cells))
    dates = DateReader([d for _, d, c, _ in pending if d and c is not None], date_format)
    if dates.problem:
        _warn(dates.problem)
    for number, raw_date, check, cells in pending:
        if check is not None and raw_date:
            moment, why = dates.read(raw_date)
            if why:
                _warn(f"{word} {number}: {why}; counted without a date")
            check = replace(check, created_at=moment)
        if check is not None:
            result.checks.append(check)
        result.scores.append([safe_cell(c) for c in cells])
    return result
