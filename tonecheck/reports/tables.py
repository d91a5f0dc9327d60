"""A `Report` as tables: the page shows them under its charts and the CSV export holds
exactly the same cells, one per line (`section,row,column,value`); and as JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tonecheck.reports.figures import (
    BIN_LABELS,
    DRAFT_BUCKETS,
    MEASURE_TITLES,
    MEASURES,
    Report,
    ReportFilters,
)

CSV_HEADER = ("section", "row", "column", "value")
# A cell a spreadsheet would run as a formula gets a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Words:
    """What one scored item and one group of them are called in this report."""

    check: str = "check"
    checks: str = "checks"
    draft: str = "draft"
    drafts: str = "drafts"


LIVE = Words()
BATCH = Words("reply", "replies", "ticket", "tickets")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    note: str = ""


def number(value: float | int | None, signed: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:+d}" if signed else str(value)
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _hundredths(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def report_sections(report: Report, words: Words = LIVE) -> list[Section]:
    w = words
    improvement = report.improvement
    sections = [
        Section(
            "summary",
            "In numbers",
            "figure",
            ("value",),
            (
                (w.checks, (str(report.checks),)),
                (f"{w.drafts} with a draft id" if w is LIVE else w.drafts, (str(report.drafts),)),
                ("agents", (str(report.agents),)),
                ("first day", (report.first_day.isoformat() if report.first_day else "",)),
                ("last day", (report.last_day.isoformat() if report.last_day else "",)),
                (f"hedges per {w.check}", (_hundredths(report.hedges_per_check),)),
                (f"{w.checks} with a hedge (%)", (_pct(report.with_hedge_pct),)),
                (f"{w.checks} per {w.draft}", (_hundredths(report.checks_per_draft),)),
            ),
        ),
        Section(
            "scores",
            "Scores",
            "measure",
            ("mean", "median"),
            tuple(
                (MEASURE_TITLES[m.name], (number(m.mean), number(m.median)))
                for m in report.measures
            ),
            "Each score is 0–100: how likely the reply meets the principle.",
        ),
        Section(
            "distribution",
            "Distribution of scores",
            "score",
            tuple(MEASURE_TITLES[m] for m in MEASURES),
            tuple(
                (label, tuple(str(m.bins[i]) for m in report.measures))
                for i, label in enumerate(BIN_LABELS)
            ),
            f"How many {w.checks} scored in each band.",
        ),
        Section(
            "trend",
            "Trend by week",
            "week of",
            (w.checks, *(MEASURE_TITLES[m] for m in MEASURES)),
            tuple(
                (
                    week.week.isoformat(),
                    (str(week.checks), *(number(week.means[m]) for m in MEASURES)),
                )
                for week in report.weeks
            ),
            "Mean scores per week (weeks start on Monday, UTC).",
        ),
        Section(
            "phrases",
            "Most common hedge phrases",
            "phrase",
            ("category", "count"),
            tuple((phrase, (category, str(n))) for phrase, category, n in report.phrases),
        ),
        Section(
            "categories",
            "Hedges by category",
            "category",
            ("count",),
            tuple((category, (str(n),)) for category, n in report.categories),
        ),
        Section(
            "draft_sizes",
            f"{w.checks.capitalize()} per {w.draft}",
            w.checks,
            (w.drafts,),
            tuple(
                (label, (str(n),))
                for label, n in zip(DRAFT_BUCKETS, report.draft_sizes, strict=True)
            ),
            f"How many times each {w.draft} was checked."
            if w is LIVE
            else f"How many replies each {w.draft} had.",
        ),
        Section(
            "improvement",
            "Improvement",
            "measure",
            (f"first {w.check}", f"last {w.check}", "change"),
            tuple(
                (
                    MEASURE_TITLES[m],
                    (
                        number(improvement.first[m]),
                        number(improvement.last[m]),
                        number(improvement.change[m], signed=True),
                    ),
                )
                for m in MEASURES
            ),
            f"Change from a {w.draft}'s first {w.check} to its last, averaged over the "
            f"{improvement.drafts} {w.drafts} with two or more {w.checks}.",
        ),
        Section(
            "improvement_counts",
            f"{w.drafts.capitalize()} that improved",
            w.drafts,
            ("count",),
            (
                ("compared", (str(improvement.drafts),)),
                ("improved", (str(improvement.improved),)),
                ("unchanged", (str(improvement.unchanged),)),
                ("worse", (str(improvement.worse),)),
            ),
            "By the overall score.",
        ),
        Section(
            "agents",
            "Agents",
            "agent",
            (
                "team",
                w.checks,
                "mean overall",
                f"hedges per {w.check}",
                f"{w.drafts} compared",
                "improvement",
            ),
            tuple(
                (
                    a.agent,
                    (
                        a.team or "",
                        str(a.checks),
                        number(a.mean_overall),
                        _hundredths(a.hedges_per_check),
                        str(a.drafts_compared),
                        number(a.improvement, signed=True),
                    ),
                )
                for a in report.agent_rows
            ),
        ),
    ]
    if report.comparison is not None:
        sections.insert(1, _comparison(report, report.comparison, words))
    if report.lowest:
        sections.append(
            Section(
                "lowest",
                f"Lowest-scoring {w.checks}",
                w.check,
                ("when", "agent", "overall", "hedges", "text"),
                tuple(
                    (
                        row.label,
                        (
                            row.created_at.strftime("%Y-%m-%d %H:%M") if row.created_at else "",
                            row.agent or "",
                            str(row.overall),
                            "; ".join(phrase for phrase, _ in row.hedges) or "none",
                            row.text or "",
                        ),
                    )
                    for row in report.lowest
                ),
            )
        )
    return sections


def _comparison(report: Report, team: Report, words: Words) -> Section:
    def figures(r: Report) -> list[str]:
        return [
            str(r.checks),
            *(number(m.mean) for m in r.measures),
            _hundredths(r.hedges_per_check),
            _hundredths(r.checks_per_draft),
            number(r.improvement.change["overall"], signed=True),
        ]

    labels = [
        words.checks,
        *(f"mean {MEASURE_TITLES[m]}" for m in MEASURES),
        f"hedges per {words.check}",
        f"{words.checks} per {words.draft}",
        "improvement (overall)",
    ]
    name = report.agent_rows[0].agent if len(report.agent_rows) == 1 else "selection"
    mine, theirs = figures(report), figures(team)
    return Section(
        "comparison",
        f"Beside the team ({report.comparison_name or 'all teams'})",
        "figure",
        (name, f"team {report.comparison_name or 'all'}"),
        tuple((label, (a, b)) for label, a, b in zip(labels, mine, theirs, strict=True)),
    )


def safe_cell(value: str) -> str:
    try:
        float(value)
    except ValueError:
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    return value


def sections_csv(sections: Sequence[Section], extra_rows: Sequence[tuple[str, ...]] = ()) -> str:
    """Every cell of every table, one per line; text that a spreadsheet would run as a
    formula starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section in sections:
        for label, values in section.rows:
            for column, value in zip(section.columns, values, strict=True):
                writer.writerow([section.key, safe_cell(label), column, safe_cell(value)])
    for row in extra_rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def report_json(report: Report, filters: ReportFilters) -> dict[str, Any]:
    """The figures as JSON: numbers stay numbers; None where there is nothing to average."""
    improvement = report.improvement
    body: dict[str, Any] = {
        "filters": filters.as_params(),
        "checks": report.checks,
        "drafts": report.drafts,
        "agents": report.agents,
        "first_day": report.first_day.isoformat() if report.first_day else None,
        "last_day": report.last_day.isoformat() if report.last_day else None,
        "scores": {
            m.name: {"mean": m.mean, "median": m.median, "distribution": list(m.bins)}
            for m in report.measures
        },
        "distribution_bins": list(BIN_LABELS),
        "trend": [
            {"week": w.week.isoformat(), "checks": w.checks, "means": w.means} for w in report.weeks
        ],
        "hedges": {
            "per_check": report.hedges_per_check,
            "checks_with_hedge_pct": report.with_hedge_pct,
            "phrases": [{"phrase": p, "category": c, "count": n} for p, c, n in report.phrases],
            "categories": dict(report.categories),
        },
        "checks_per_draft": {
            "mean": report.checks_per_draft,
            "distribution": dict(zip(DRAFT_BUCKETS, report.draft_sizes, strict=True)),
        },
        "improvement": {
            "drafts_compared": improvement.drafts,
            "first": improvement.first,
            "last": improvement.last,
            "change": improvement.change,
            "improved": improvement.improved,
            "unchanged": improvement.unchanged,
            "worse": improvement.worse,
        },
        "by_agent": [
            {
                "agent": a.agent,
                "team": a.team,
                "checks": a.checks,
                "mean_overall": a.mean_overall,
                "hedges_per_check": a.hedges_per_check,
                "drafts_compared": a.drafts_compared,
                "improvement": a.improvement,
            }
            for a in report.agent_rows
        ],
    }
    if report.comparison is not None:
        body["team"] = {
            "name": report.comparison_name,
            **report_json(report.comparison, ReportFilters()),
        }
        body["team"].pop("filters")
    if report.lowest:
        body["lowest"] = [
            {
                "check": row.label,
                "created_at": row.created_at.isoformat() if row.created_at else None,
                "agent": row.agent,
                "overall": row.overall,
                "hedges": len(row.hedges),
                "text": row.text,
            }
            for row in report.lowest
        ]
    return body
