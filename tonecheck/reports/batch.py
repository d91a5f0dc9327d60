"""A batch report: the rows of a helpdesk export, scored, turned into report rows.

Helpdesk exports name their columns differently; the guesses below find the
agent, team, date and ticket of each row. Every row read is either a report row
or a problem: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tonecheck.model.batch import ScoredRow
from tonecheck.model.types import PRINCIPLES
from tonecheck.reports.figures import MEASURES, CheckRow
from tonecheck.reports.tables import safe_cell


def _names(*names: str) -> tuple[str, ...]:
    """Each name as written, with spaces and with hyphens (`ticket_id`, `ticket id`, `ticket-id`)."""
    return tuple(
        dict.fromkeys(v for n in names for v in (n, n.replace("_", " "), n.replace("_", "-")))
    )


# Helpdesk exports name their columns differently; the requester is the customer, never the agent.
TEXT_COLUMNS = _names("text", "body", "plain_body", "comment", "message", "reply", "content")
AGENT_COLUMNS = _names("agent", "agent_name", "author", "author_name", "assignee", "assignee_name")
TEAM_COLUMNS = _names("team", "team_name", "group", "group_name")
DATE_COLUMNS = _names("created_at", "created", "date", "sent_at", "timestamp", "time")
TICKET_COLUMNS = _names("ticket_id", "ticket", "conversation_id", "conversation", "thread_id", "id")
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


def _parse_date(value: str) -> datetime | None:
    """ISO 8601; a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def chronological(checks: list[CheckRow]) -> list[CheckRow]:
    """Oldest first when every reply has a date (exports are often newest first), so a
    ticket's first reply is its earliest; otherwise the file's order."""
    if checks and all(c.created_at is not None for c in checks):
        return sorted(checks, key=lambda c: c.created_at or datetime.min)
    return checks


@dataclass
class BatchResult:
    checks: list[CheckRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: int = 0


def collect(
    scored: Iterable[ScoredRow],
    show_text: bool,
    jsonl: bool,
    scores_out: Any | None = None,
    on_problem: Callable[[str], None] = lambda message: None,
) -> BatchResult:
    """CheckRows from scored rows; every row not scored, or read with a guess, is a problem.

    `scores_out` (a `csv.writer`) gets one `SCORES_HEADER` row per input row;
    `on_problem` hears each problem as it is found.
    """
    result = BatchResult()
    word = "line" if jsonl else "row"

    def _warn(result: BatchResult, message: str) -> None:
        result.problems.append(message)
        on_problem(message)

    for row, scores, problem in scored:
        result.rows += 1
        extra = row.extra or {}
        agent = _pick(extra, AGENT_COLUMNS)
        team = _pick(extra, TEAM_COLUMNS)
        ticket = _pick(extra, TICKET_COLUMNS)
        raw_date = _pick(extra, DATE_COLUMNS)
        created = _parse_date(raw_date) if raw_date else None
        if row.warning:
            _warn(result, row.warning)
        if raw_date and created is None and not problem:
            _warn(
                result,
                f"{word} {row.number}: date {raw_date[:40]!r} is not ISO 8601; counted without a date",
            )
        if problem is None and scores is not None and scores.overall is None:
            problem = f"{word} {row.number} (id {row.id}): {scores.reason or 'not scored'}"
        values: tuple[int, ...] = ()
        hedges: tuple[tuple[str, str], ...] = ()
        if problem is not None or scores is None or scores.overall is None:
            _warn(result, problem or f"{word} {row.number}: not scored")
        else:
            values = (*(int(scores.scores[p] or 0) for p in PRINCIPLES), scores.overall)
            hedges = tuple((h.text, h.category) for h in scores.hedges)
            result.checks.append(
                CheckRow(
                    f"{word} {row.number}",
                    created,
                    agent,
                    team,
                    ticket,
                    values,
                    hedges,
                    row.text if show_text else None,
                )
            )
        if scores_out is not None:
            ok = bool(values)
            cells = [str(row.number), row.id, agent or "", team or "", raw_date or "", ticket or ""]
            cells += [str(v) for v in values] if ok else [""] * len(MEASURES)
            cells += [str(len(hedges)), "; ".join(p for p, _ in hedges)] if ok else ["", ""]
            cells.append(problem or row.warning or "")
            scores_out.writerow([safe_cell(c) for c in cells])
    return result
