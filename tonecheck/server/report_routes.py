"""Team-lead reports over HTTP: the /reports pages (session cookie) and the /v1/reports
JSON and CSV (Bearer lead token or the same cookie).

The session cookie is signed, HttpOnly and SameSite=Strict, and holds the lead's name
and token hash: revoking the token ends the session at the next request.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tonecheck.reports.figures import (
    FilterError,
    Report,
    ReportFilters,
    build_report,
)
from tonecheck.reports.render import content_security_policy, render, render_report
from tonecheck.reports.tables import report_json, report_sections, sections_csv
from tonecheck.server.api import context
from tonecheck.server.config import Settings
from tonecheck.server.context import AppContext
from tonecheck.server.errors import ApiError
from tonecheck.server.storage import Principal, Storage, hash_token

SESSION_COOKIE = "tonecheck_session"
SESSION_HOURS = 8
MAX_FORM_BYTES = 4096


def session_middleware(settings: Settings) -> Middleware:
    """Signed cookie sessions; without a configured secret each process makes its own, so
    sessions end when the server restarts (and replicas need one shared secret)."""
    return Middleware(
        SessionMiddleware,
        secret_key=settings.session_secret or secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
    )


def _headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=_headers())


def _session_lead(request: Request, ctx: AppContext) -> str | None:
    digest = request.session.get("token_sha256")
    if not isinstance(digest, str):
        return None

    name = ctx.read("session", lambda storage: storage.lead_for_hash(digest))
    if name is None:
        request.session.clear()
    return name


def _api_lead(request: Request) -> str:
    """A lead by Bearer token or, without an Authorization header, by session cookie."""
    ctx = context(request)
    if "authorization" not in request.headers:
        lead = _session_lead(request, ctx)
        if lead is not None:
            return lead
    return ctx.auth.require(request, "lead").name


def _filters(
    request: Request, allowed: tuple[str, ...] = ("from", "to", "agent", "team")
) -> ReportFilters:
    try:
        return ReportFilters.parse(request.query_params, allowed)
    except FilterError as error:
        raise ApiError(422, "invalid_field", str(error)) from None


def _main_team(rows_team: Counter[str]) -> str | None:
    return rows_team.most_common(1)[0][0] if rows_team else None


def _compute(storage: Storage, filters: ReportFilters, store_text: bool) -> Report:
    """The report of `filters`; with an agent chosen, their team's figures come beside."""
    rows = storage.report_checks(filters, store_text)
    if not filters.agent:
        return build_report(rows)
    team = filters.team or _main_team(Counter(r.team for r in rows if r.team))
    team_filters = ReportFilters(filters.start, filters.end, None, team)
    return build_report(rows, storage.report_checks(team_filters, False), team)


async def _report(request: Request, filters: ReportFilters) -> Report:
    ctx = context(request)
    return await run_in_threadpool(
        ctx.read, "report", lambda storage: _compute(storage, filters, ctx.settings.store_text)
    )


def _query(filters: ReportFilters) -> str:
    params = filters.as_params()
    return "?" + urlencode(params) if params else ""


async def summary(request: Request) -> Response:
    _api_lead(request)
    filters = _filters(request)
    report = await _report(request, filters)
    return JSONResponse(report_json(report, filters), headers={"Cache-Control": "no-store"})


async def export_csv(request: Request) -> Response:
    _api_lead(request)
    filters = _filters(request)
    report = await _report(request, filters)
    name = "-".join(
        ["tonecheck-report", *(v for k, v in filters.as_params().items() if k in ("from", "to"))]
    )
    return Response(
        sections_csv(report_sections(report)),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/reports/login?{urlencode({'next': target})}", status_code=303)


def _page_lead(request: Request) -> str | Response:
    """The signed-in lead, a redirect to sign in, or a 403 page for an agent's token."""
    ctx = context(request)
    if "authorization" in request.headers:
        try:
            return ctx.auth.require(request, "lead").name
        except ApiError as error:
            return _problem(error.status, error.message)
    return _session_lead(request, ctx) or _login_redirect(request)


def _problem(status: int, message: str, lead: str | None = None) -> HTMLResponse:
    body = render(
        "overview.html",
        heading="Cannot show this report",
        lede=message,
        lead=lead,
        sections=[],
        charts={},
        links={},
        filters=ReportFilters(),
        hide_filters=True,
    )
    return _page(body, status)


async def _overview_page(
    request: Request, lead: str, filters: ReportFilters, heading: str, action: str, show_agent: bool
) -> Response:
    ctx = context(request)
    report = await _report(request, filters)
    agents, teams = await run_in_threadpool(ctx.read, "report", Storage.known_names)
    team = filters.team or (report.comparison_name if filters.agent else None)
    where = [f"team {team}" if team else "all teams"]
    if filters.start or filters.end:
        where.append(f"{filters.start or 'the start'} to {filters.end or 'today'}")
    links = {a.agent: _agent_link(a.agent, filters) for a in report.agent_rows}
    page, _ = render_report(
        "overview.html",
        report,
        notice=_nothing_matches(filters, report.checks, agents, teams),
        heading=heading,
        lede=f"{report.checks} checks by {report.agents} agent(s): {', '.join(where)}.",
        lead=lead,
        filters=filters,
        agents=agents,
        teams=teams,
        action=action,
        show_team=True,
        show_agent=show_agent,
        query=_query(filters),
        links=links,
    )
    return _page(page)


def _nothing_matches(
    filters: ReportFilters, checks: int, agents: list[str], teams: list[str]
) -> str | None:
    """Why a report is empty, in words, with the names that do have checks."""

    def names(found: list[str]) -> str:
        return ", ".join(found[:20]) + (f" and {len(found) - 20} more" if len(found) > 20 else "")

    if filters.agent and filters.agent not in agents:
        return f"No agent called {filters.agent!r} has checks. Agents with checks: {names(agents) or 'none yet'}."
    if filters.team and filters.team not in teams:
        return f"No team called {filters.team!r} has checks. Teams with checks: {names(teams) or 'none yet'}."
    if checks == 0:
        return "No checks match these filters: widen the dates, or clear the agent and team."
    return None


def _agent_link(agent: str, filters: ReportFilters) -> str:
    """The agent's page; a name with a slash cannot be one path segment, so it is a filter."""
    if "/" in agent:
        return "/reports" + _query(filters.with_agent(agent))
    return f"/reports/agent/{quote(agent, safe='')}{_query(filters.with_agent(None))}"


async def overview(request: Request) -> Response:
    lead = _page_lead(request)
    if isinstance(lead, Response):
        return lead
    try:
        filters = ReportFilters.parse(request.query_params)
    except FilterError as error:
        return _problem(422, str(error), lead)
    heading = f"Agent {filters.agent}" if filters.agent else "Team overview"
    return await _overview_page(request, lead, filters, heading, "/reports", True)


async def agent_page(request: Request) -> Response:
    lead = _page_lead(request)
    if isinstance(lead, Response):
        return lead
    try:
        base = ReportFilters.parse(request.query_params, ("from", "to", "team"))
    except FilterError as error:
        return _problem(422, str(error), lead)
    name: str = request.path_params["name"]
    filters = base.with_agent(name, base.team)
    return await _overview_page(request, lead, filters, f"Agent {name}", request.url.path, False)


def _safe_next(value: str) -> str:
    try:
        parts = urlsplit(value)
    except ValueError:
        return "/reports"
    if parts.scheme or parts.netloc or not value.startswith("/reports") or "\\" in value:
        return "/reports"
    return value


def _same_origin(request: Request) -> bool:
    """A form post from our own page (pages send Referrer-Policy same-origin, so a browser
    names our origin; "null" comes from sandboxes and privacy settings and is refused)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    try:
        return urlsplit(origin).netloc == request.headers.get("host", "")
    except ValueError:
        return False


async def login_form(request: Request) -> Response:
    next_page = _safe_next(request.query_params.get("next", "/reports"))
    return _page(render("login.html", hours=SESSION_HOURS, next=next_page, error=None))


def _form(body: bytes) -> Mapping[str, str]:
    parsed = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
    return {k: v[0] for k, v in parsed.items()}


async def login(request: Request) -> Response:
    ctx = context(request)
    body = await request.body()
    form = _form(body[:MAX_FORM_BYTES])
    next_page = _safe_next(form.get("next", "/reports"))

    def again(status: int, message: str) -> Response:
        return _page(
            render("login.html", hours=SESSION_HOURS, next=next_page, error=message), status
        )

    if not _same_origin(request):
        return again(403, "sign-in must come from this server's own page")
    token = form.get("token", "").strip()
    principal: Principal | None = ctx.auth.lookup(token) if token else None
    if principal is None:
        return again(401, "that token is not valid or has been revoked")
    if principal.role != "lead":
        return again(
            403, f"token {principal.name!r} has role {principal.role!r}; reports need a lead token"
        )
    request.session.clear()
    request.session.update({"lead": principal.name, "token_sha256": hash_token(token)})
    return RedirectResponse(next_page, status_code=303)


async def logout(request: Request) -> Response:
    if _same_origin(request):
        request.session.clear()
    return RedirectResponse("/reports/login", status_code=303)


def report_routes() -> list[Route]:
    return [
        Route("/reports", overview, methods=["GET"]),
        Route("/reports/login", login_form, methods=["GET"]),
        Route("/reports/login", login, methods=["POST"]),
        Route("/reports/logout", logout, methods=["POST"]),
        Route("/reports/agent/{name}", agent_page, methods=["GET"]),
        Route("/v1/reports/summary", summary, methods=["GET"]),
        Route("/v1/reports/export.csv", export_csv, methods=["GET"]),
    ]
