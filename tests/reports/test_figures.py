"""Report figures against numbers computed by hand from tests/report_fixture.py."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.support.report_fixture import check_rows
from tonecheck.reports.charts import bar_chart, column_chart, line_chart
from tonecheck.reports.figures import FilterError, ReportFilters, build_report
from tonecheck.reports.tables import CSV_HEADER, report_sections, safe_cell, sections_csv


def test_overall_figures_match_hand_computed_numbers() -> None:
    report = build_report(check_rows())
    assert (report.checks, report.drafts, report.agents) == (8, 4, 3)
    assert (report.first_day, report.last_day) == (date(2026, 2, 27), date(2026, 3, 11))
    overall = report.measure("overall")
    # 46+45+60+75+25+25+85+50 = 411; 411/8 = 51.375; sorted middle pair (46, 50).
    assert (overall.mean, overall.median) == (51.4, 48.0)
    assert overall.bins == (0, 0, 2, 0, 2, 1, 1, 1, 1, 0)
    # knowledge 30+40+60+80+20+10+90+50 = 380 -> 47.5
    assert report.measure("knowledge").mean == 47.5
    # 7 hedges over 8 checks; 5 of the 8 have one.
    assert (report.hedges_per_check, report.with_hedge_pct) == (0.88, 62.5)
    assert report.phrases == (
        ("hopefully", "hope", 2),
        ("i think", "epistemic", 2),
        ("maybe", "epistemic", 2),
        ("should be able to", "soft_outcome", 1),
    )
    assert dict(report.categories) == {
        "hope": 2,
        "soft_outcome": 1,
        "epistemic": 4,
        "attempt": 0,
        "possibility": 0,
        "deference": 0,
    }
    # d1 has 3 checks, d2 2, d3 and d4 one each: 7 checks with a draft over 4 drafts.
    assert report.draft_sizes == (2, 1, 1, 0, 0) and report.checks_per_draft == 1.75


def test_improvement_is_last_minus_first_averaged_over_drafts_with_two_checks() -> None:
    improvement = build_report(check_rows()).improvement
    # d1: 45 -> 75 (+30); d2: 25 -> 25 (0); d3 and d4 have one check and do not count.
    assert improvement.drafts == 2
    assert improvement.first["overall"] == 35.0 and improvement.last["overall"] == 50.0
    assert improvement.change == {
        "knowledge": 15.0,  # (+40 - 10) / 2
        "intent": 20.0,  # (+40 + 0) / 2
        "empathy": 5.0,  # (+10 + 0) / 2
        "standing": 20.0,  # (+30 + 10) / 2
        "overall": 15.0,
    }
    assert (improvement.improved, improvement.unchanged, improvement.worse) == (1, 1, 0)


def test_weekly_trend_starts_weeks_on_monday() -> None:
    weeks = build_report(check_rows()).weeks
    assert [(w.week.isoformat(), w.checks, w.means["overall"]) for w in weeks] == [
        ("2026-02-23", 1, 46.0),
        ("2026-03-02", 5, 46.0),  # (45 + 60 + 75 + 25 + 25) / 5
        ("2026-03-09", 2, 67.5),  # (85 + 50) / 2
    ]


def test_agent_rows_and_team_comparison() -> None:
    rows = check_rows()
    report = build_report(
        [r for r in rows if r.agent == "bo"], [r for r in rows if r.team == "billing"], "billing"
    )
    (bo,) = report.agent_rows
    assert (bo.agent, bo.team, bo.checks, bo.mean_overall, bo.hedges_per_check) == (
        "bo",
        "billing",
        3,
        45.0,
        1.0,
    )
    assert (bo.drafts_compared, bo.improvement) == (1, 0.0)
    assert report.comparison is not None
    # billing: 45 + 60 + 75 + 25 + 25 + 85 = 315 over 6 checks.
    assert report.comparison.measure("overall").mean == 52.5
    comparison = report_sections(report)[1]
    assert comparison.key == "comparison" and comparison.columns == ("bo", "team billing")
    assert ("mean Overall", ("45.0", "52.5")) in comparison.rows


def test_empty_selection_has_no_averages() -> None:
    report = build_report([])
    assert report.checks == 0 and report.measure("overall").mean is None
    assert report.improvement.change["overall"] is None and report.weeks == ()
    assert "nothing to show" in column_chart("x", ["a"], [0])
    assert "no dates" in line_chart("x", [], [])


@pytest.mark.parametrize(
    ("params", "name", "words"),
    [
        ({"from": "2026-02-30"}, "from", "not an ISO date"),
        ({"to": "yesterday"}, "to", "not an ISO date"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from", "after to"),
        ({"agent": "a" * 129}, "agent", "over the 128 limit"),
        ({"sort": "x"}, "sort", "unknown parameter"),
    ],
)
def test_bad_filters_name_the_parameter(params: dict[str, str], name: str, words: str) -> None:
    with pytest.raises(FilterError) as caught:
        ReportFilters.parse(params)
    assert caught.value.name == name and words in str(caught.value)
    assert str(caught.value).startswith(f"{name}: ")


def test_filters_round_trip_through_query_parameters() -> None:
    filters = ReportFilters.parse(
        {"from": "2026-03-01", "to": " 2026-03-31", "team": "billing", "agent": ""}
    )
    assert filters == ReportFilters(date(2026, 3, 1), date(2026, 3, 31), None, "billing")
    assert ReportFilters.parse(filters.as_params()) == filters


def test_csv_holds_every_table_cell_and_reads_back() -> None:
    report = build_report(check_rows())
    sections = report_sections(report)
    text = sections_csv(sections)
    parsed = list(csv.reader(io.StringIO(text)))
    assert tuple(parsed[0]) == CSV_HEADER
    cells = {(s, r, c): v for s, r, c, v in parsed[1:]}
    expected = {
        (section.key, label, column): value
        for section in sections
        for label, values in section.rows
        for column, value in zip(section.columns, values, strict=True)
    }
    assert cells == expected and len(parsed) - 1 == len(expected)
    assert cells[("improvement", "Overall", "change")] == "+15.0"
    assert cells[("scores", "Overall", "mean")] == "51.4"
    assert cells[("trend", "2026-03-09", "Overall")] == "67.5"


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe() -> None:
    rows = check_rows()
    rows[0] = type(rows[0])(
        "1", rows[0].created_at, '=HYPERLINK("x")', "@team", "d", rows[0].scores
    )
    text = sections_csv(report_sections(build_report(rows)))
    assert "'=HYPERLINK" in text and "'@team" in text
    assert safe_cell("-10.0") == "-10.0" and safe_cell("-x") == "'-x"


def test_charts_escape_labels() -> None:
    svg = bar_chart('<script>alert(1)</script>"><img onerror=x>', [("<b>x</b>", 1.0)])
    assert "<script>" not in svg and "<b>" not in svg and "<img" not in svg
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
