"""Team-lead report figures: one `Report` from a list of checks, live or from a batch.

Each check is a `CheckRow`; `build_report` turns a list of them into the figures
every report shows (score means and distributions, weekly trend, hedges,
checks per draft, improvement). `Storage.report_checks` reads them from the
database; the batch command builds them from scored rows. Nothing here knows SQL.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from tonecheck.model.types import HEDGE_CATEGORIES, PRINCIPLES

MEASURES: tuple[str, ...] = (*PRINCIPLES, "overall")
MEASURE_TITLES = {
    "knowledge": "Knowledge",
    "intent": "Intent",
    "empathy": "Empathy",
    "standing": "Standing",
    "overall": "Overall",
}
BIN_LABELS = tuple(f"{lo}–{lo + 9}" if lo < 90 else "90–100" for lo in range(0, 100, 10))
DRAFT_BUCKETS = ("1", "2", "3", "4", "5 or more")
TOP_PHRASES = 10
LOWEST_SHOWN = 10
FILTER_NAMES = ("from", "to", "agent", "team")
MAX_NAME = 128


class FilterError(ValueError):
    """A report filter with a bad value; `name` is the query parameter."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class ReportFilters:
    start: date | None = None
    end: date | None = None
    agent: str | None = None
    team: str | None = None

    @classmethod
    def parse(
        cls, params: Mapping[str, str], allowed: Sequence[str] = FILTER_NAMES
    ) -> ReportFilters:
        """From query parameters; empty values mean "any". Raises FilterError naming the parameter."""
        for name in params:
            if name not in allowed:
                raise FilterError(name, f"unknown parameter; use {', '.join(allowed)}")
        days: dict[str, date | None] = {}
        for name in ("from", "to"):
            raw = params.get(name, "").strip()
            try:
                days[name] = date.fromisoformat(raw) if raw else None
            except ValueError:
                raise FilterError(name, f"{raw[:40]!r} is not an ISO date (YYYY-MM-DD)") from None
        if days["from"] and days["to"] and days["from"] > days["to"]:
            raise FilterError("from", f"{days['from']} is after to ({days['to']})")
        names: dict[str, str | None] = {}
        for name in ("agent", "team"):
            value = params.get(name, "").strip()
            if len(value) > MAX_NAME:
                raise FilterError(name, f"has {len(value)} characters, over the {MAX_NAME} limit")
            names[name] = value or None
        return cls(days["from"], days["to"], names["agent"], names["team"])

    def as_params(self) -> dict[str, str]:
        values = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "agent": self.agent,
            "team": self.team,
        }
        return {k: v for k, v in values.items() if v}

    def with_agent(self, agent: str | None, team: str | None = None) -> ReportFilters:
        return ReportFilters(self.start, self.end, agent, team)


@dataclass(frozen=True)
class CheckRow:
    """One scored check (live) or reply (batch); `scores` follow MEASURES."""

    label: str
    created_at: datetime | None
    agent: str | None
    team: str | None
    draft: str | None
    scores: tuple[int, ...]
    hedges: tuple[tuple[str, str], ...] = ()
    text: str | None = None

    @property
    def overall(self) -> int:
        return self.scores[-1]


@dataclass(frozen=True)
class MeasureFigure:
    name: str
    mean: float | None
    median: float | None
    bins: tuple[int, ...]


@dataclass(frozen=True)
class WeekFigure:
    week: date
    checks: int
    means: dict[str, float]


@dataclass(frozen=True)
class Improvement:
    drafts: int
    first: dict[str, float | None]
    last: dict[str, float | None]
    change: dict[str, float | None]
    improved: int
    unchanged: int
    worse: int


@dataclass(frozen=True)
class AgentFigure:
    agent: str
    team: str | None
    checks: int
    mean_overall: float | None
    hedges_per_check: float | None
    drafts_compared: int
    improvement: float | None


@dataclass(frozen=True)
class Report:
    checks: int
    drafts: int
    agents: int
    first_day: date | None
    last_day: date | None
    measures: tuple[MeasureFigure, ...]
    weeks: tuple[WeekFigure, ...]
    phrases: tuple[tuple[str, str, int], ...]
    categories: tuple[tuple[str, int], ...]
    hedges_per_check: float | None
    with_hedge_pct: float | None
    checks_per_draft: float | None
    draft_sizes: tuple[int, ...]
    improvement: Improvement
    agent_rows: tuple[AgentFigure, ...]
    lowest: tuple[CheckRow, ...] = ()
    comparison: Report | None = field(default=None, repr=False)
    comparison_name: str | None = None

    def measure(self, name: str) -> MeasureFigure:
        return next(m for m in self.measures if m.name == name)


def _mean(values: Sequence[float]) -> float | None:
    # Adding 0.0 turns a rounded -0.0 into 0.0.
    return round(statistics.fmean(values), 1) + 0.0 if values else None


def _ratio(part: float, whole: float, scale: float = 1.0) -> float | None:
    return round(scale * part / whole, 2 if scale == 1.0 else 1) if whole else None


def _bin(score: int) -> int:
    return min(9, max(0, score // 10))


def _day(moment: datetime) -> date:
    return (moment if moment.tzinfo is None else moment.astimezone(UTC)).date()


def _improvement(rows: Sequence[CheckRow]) -> Improvement:
    """Last check minus first check, per draft with two or more checks, averaged over drafts."""
    by_draft: dict[tuple[str | None, str], list[CheckRow]] = defaultdict(list)
    for row in rows:
        if row.draft:
            by_draft[(row.agent, row.draft)].append(row)
    pairs = [(group[0], group[-1]) for group in by_draft.values() if len(group) >= 2]
    first = {m: _mean([a.scores[i] for a, _ in pairs]) for i, m in enumerate(MEASURES)}
    last = {m: _mean([b.scores[i] for _, b in pairs]) for i, m in enumerate(MEASURES)}
    change = {
        m: _mean([b.scores[i] - a.scores[i] for a, b in pairs]) for i, m in enumerate(MEASURES)
    }
    deltas = [b.overall - a.overall for a, b in pairs]
    return Improvement(
        len(pairs),
        first,
        last,
        change,
        sum(d > 0 for d in deltas),
        sum(d == 0 for d in deltas),
        sum(d < 0 for d in deltas),
    )


def _draft_sizes(rows: Sequence[CheckRow]) -> tuple[int, ...]:
    sizes = Counter((row.agent, row.draft) for row in rows if row.draft)
    buckets = [0] * len(DRAFT_BUCKETS)
    for size in sizes.values():
        buckets[min(size, len(DRAFT_BUCKETS)) - 1] += 1
    return tuple(buckets)


def _weeks(rows: Sequence[CheckRow]) -> tuple[WeekFigure, ...]:
    by_week: dict[date, list[CheckRow]] = defaultdict(list)
    for row in rows:
        if row.created_at is not None:
            day = _day(row.created_at)
            by_week[day - timedelta(days=day.weekday())].append(row)
    return tuple(
        WeekFigure(
            week,
            len(group),
            {m: _mean([r.scores[i] for r in group]) or 0.0 for i, m in enumerate(MEASURES)},
        )
        for week, group in sorted(by_week.items())
    )


def _agents(rows: Sequence[CheckRow]) -> tuple[AgentFigure, ...]:
    by_agent: dict[str, list[CheckRow]] = defaultdict(list)
    for row in rows:
        by_agent[row.agent or "(none)"].append(row)
    figures = []
    for agent, group in sorted(by_agent.items()):
        teams = Counter(r.team for r in group if r.team)
        improvement = _improvement(group)
        figures.append(
            AgentFigure(
                agent,
                teams.most_common(1)[0][0] if teams else None,
                len(group),
                _mean([r.overall for r in group]),
                _ratio(sum(len(r.hedges) for r in group), len(group)),
                improvement.drafts,
                improvement.change["overall"],
            )
        )
    return tuple(figures)


def build_report(
    rows: Sequence[CheckRow],
    comparison_rows: Sequence[CheckRow] | None = None,
    comparison_name: str | None = None,
) -> Report:
    """The figures of `rows`, in the order they were checked; `comparison_rows` (a team)
    become a second report shown beside the first."""
    phrases = Counter((phrase.lower(), category) for row in rows for phrase, category in row.hedges)
    categories = Counter(category for row in rows for _, category in row.hedges)
    known = [*HEDGE_CATEGORIES, *sorted(set(categories) - set(HEDGE_CATEGORIES))]
    sizes = _draft_sizes(rows)
    drafts = sum(sizes)
    days = [_day(r.created_at) for r in rows if r.created_at is not None]
    total_hedges = sum(len(r.hedges) for r in rows)
    measures = []
    for index, name in enumerate(MEASURES):
        values = [r.scores[index] for r in rows]
        bins = [0] * len(BIN_LABELS)
        for value in values:
            bins[_bin(value)] += 1
        median = round(float(statistics.median(values)), 1) if values else None
        measures.append(MeasureFigure(name, _mean(values), median, tuple(bins)))
    with_text = [r for r in rows if r.text]
    return Report(
        checks=len(rows),
        drafts=drafts,
        agents=len({r.agent for r in rows}),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
        measures=tuple(measures),
        weeks=_weeks(rows),
        phrases=tuple(
            (p, c, n)
            for (p, c), n in sorted(phrases.items(), key=lambda i: (-i[1], i[0]))[:TOP_PHRASES]
        ),
        categories=tuple((c, categories.get(c, 0)) for c in known),
        hedges_per_check=_ratio(total_hedges, len(rows)),
        with_hedge_pct=_ratio(sum(bool(r.hedges) for r in rows), len(rows), 100.0),
        checks_per_draft=_ratio(sum(1 for r in rows if r.draft), drafts),
        draft_sizes=sizes,
        improvement=_improvement(rows),
        agent_rows=_agents(rows),
        lowest=tuple(sorted(with_text, key=lambda r: r.overall)[:LOWEST_SHOWN]),
        comparison=build_report(comparison_rows) if comparison_rows is not None else None,
        comparison_name=comparison_name,
    )
