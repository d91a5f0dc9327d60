"""Report pages as HTML: the Jinja environment (autoescaping everything), the charts each
section gets, and the Content-Security-Policy that allows only our one stylesheet."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from tonecheck.reports.charts import bar_chart, column_chart, line_chart
from tonecheck.reports.figures import BIN_LABELS, DRAFT_BUCKETS, MEASURE_TITLES, Report
from tonecheck.reports.tables import LIVE, Section, Words, report_sections


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("tonecheck.reports", "templates"),
        autoescape=select_autoescape(("html", "css"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet() -> tuple[Markup, str]:
    """The page CSS and its CSP source (`'sha256-...'`) so no other inline style can run."""
    source = environment().loader
    assert source is not None
    css, _, _ = source.get_source(environment(), "_style.css")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return Markup(css), f"'sha256-{digest}'"


def content_security_policy(standalone: bool = False) -> str:
    """Nothing but our stylesheet: no scripts, no outside requests, no framing."""
    _, style = stylesheet()
    policy = f"default-src 'none'; style-src {style}; img-src data:; base-uri 'none'"
    if standalone:
        return policy
    return f"{policy}; form-action 'self'; frame-ancestors 'none'"


def section_charts(report: Report, words: Words = LIVE) -> dict[str, Markup]:
    overall = report.measure("overall")
    trend_series: list[tuple[str, list[float | None]]] = [
        (
            "Overall" if report.comparison is None else "this selection",
            [w.means["overall"] for w in report.weeks],
        )
    ]
    weeks = [w.week.isoformat() for w in report.weeks]
    if report.comparison is not None:
        team_weeks = {w.week.isoformat(): w.means["overall"] for w in report.comparison.weeks}
        weeks = sorted(set(weeks) | set(team_weeks))
        mine = {w.week.isoformat(): w.means["overall"] for w in report.weeks}
        trend_series = [
            ("this agent", [mine.get(w) for w in weeks]),
            (f"team {report.comparison_name or 'all'}", [team_weeks.get(w) for w in weeks]),
        ]
    return {
        "scores": bar_chart(
            "Mean score per principle",
            [(MEASURE_TITLES[m.name], m.mean) for m in report.measures],
            max_value=100,
        ),
        "distribution": column_chart(
            f"How many {words.checks} scored in each band (overall)", BIN_LABELS, overall.bins
        ),
        "trend": line_chart("Mean overall score by week", weeks, trend_series),
        "phrases": bar_chart(
            "Most common hedge phrases", [(p, float(n)) for p, _, n in report.phrases]
        ),
        "categories": bar_chart(
            "Hedges by category", [(c, float(n)) for c, n in report.categories]
        ),
        "draft_sizes": column_chart(
            f"{words.checks.capitalize()} per {words.draft}", DRAFT_BUCKETS, report.draft_sizes
        ),
        "improvement": bar_chart(
            f"Mean change from first to last {words.check}",
            [(MEASURE_TITLES[m], v) for m, v in report.improvement.change.items()],
            signed=True,
        ),
    }


def render(template: str, **values: Any) -> str:
    css, _ = stylesheet()
    return environment().get_template(template).render(css=css, **values)


def render_report(
    template: str, report: Report, words: Words = LIVE, **values: Any
) -> tuple[str, list[Section]]:
    """The page and the sections it shows (the CSV export writes the same sections)."""
    sections = report_sections(report, words)
    page = render(template, sections=sections, charts=section_charts(report, words), **values)
    return page, sections
