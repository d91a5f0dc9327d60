"""The /v1 API handlers. Offsets in requests and responses count UTF-16 code units."""

from __future__ import annotations

import json
import logging
import re
import time
from urllib.parse import urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from tonecheck.model.scorer import TextTooLong
from tonecheck.model.types import FEEDBACK_VERDICTS, MAX_TEXT_CHARS
from tonecheck.server.bodies import Field, read_json
from tonecheck.server.context import AppContext
from tonecheck.server.errors import ApiError
from tonecheck.server.offsets import OffsetError, OffsetMap
from tonecheck.server.redact import redact
from tonecheck.server.scoring import score_for_api
from tonecheck.server.storage import StoredCheck, now

log = logging.getLogger("tonecheck.api")

CHECK_FIELDS = {
    "text": Field((str,), max_length=MAX_TEXT_CHARS),
    "draft_id": Field((str,), required=False, max_length=128),
    "site": Field((str,), required=False, max_length=2048),
}
FEEDBACK_FIELDS = {
    "text": Field((str,), max_length=MAX_TEXT_CHARS),
    "start": Field((int,)),
    "end": Field((int,)),
    "verdict": Field((str,)),
    "draft_id": Field((str,), required=False, max_length=128),
}


def context(request: Request) -> AppContext:
    ctx: AppContext = request.state.ctx
    return ctx


def site_host(site: str | None) -> str | None:
    """Only the host of a page: never its path or query."""
    if not site:
        return None
    try:
        parsed = urlsplit(site if "://" in site else f"//{site}")
        host = parsed.hostname
    except ValueError:
        raise ApiError(422, "invalid_field", f"site: {site[:80]!r} is not a URL or host") from None
    return (host or "")[:255] or None


FEEDBACK_CONTEXT = 100


def feedback_window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """At most `FEEDBACK_CONTEXT` characters each side of the phrase, cut at a space, so
    feedback keeps what a retrain needs (the phrase in its context) and not the draft."""
    begin = max(0, start - FEEDBACK_CONTEXT)
    if begin > 0 and " " in text[begin:start]:
        begin = text.index(" ", begin, start) + 1
    stop = min(len(text), end + FEEDBACK_CONTEXT)
    if stop < len(text) and " " in text[end:stop]:
        stop = text.rindex(" ", end, stop)
    return text[begin:stop], start - begin, end - begin


async def feedback(request: Request) -> Response:
    """GET lists feedback (leads), POST records it; one route, so a 405 names both."""
    if request.method == "GET":
        return await list_feedback(request)
    return await post_feedback(request)


HOME_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tonecheck</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}
code{background:#f2f2f2;padding:0 .2em}</style></head><body>
<h1>tonecheck is running</h1>
<ul>
<li><a href="/reports">Reports</a>: sign in with a lead token (the first one is in
<code>tonecheck-lead-token.txt</code> beside the database).</li>
<li><a href="/v1/health">Health</a> of the model, storage and scoring processes.</li>
<li><a href="/v1/openapi.json">API</a> (OpenAPI 3.1).</li>
</ul>
<h2>Set up the extension</h2>
<ol>
<li>Give each agent a token: <code>tonecheck token create --name NAME --role agent --team TEAM</code>
(or a whole team at once with <code>--from-csv</code>).</li>
<li>Load <code>extension/dist/chrome</code> (or <code>dist/firefox</code>) in the browser.</li>
<li>In its options, set the server to this page's address and paste the token;
<em>Test connection</em> names the agent.</li>
</ol>
</body></html>
"""


async def home(request: Request) -> Response:
    """Where the printed address leads: links to the reports, health and extension setup."""
    return HTMLResponse(
        HOME_PAGE,
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def ping(request: Request) -> Response:
    """Liveness: answers without touching the model or storage."""
    return JSONResponse({"pong": True})


async def health(request: Request) -> Response:
    ctx = context(request)
    storage_ok, storage_error = ctx.storage_status()
    served = ctx.holder.served
    body = {
        "status": "ok" if storage_ok and served and not ctx.holder.error else "degraded",
        "model_version": served.version if served else None,
        "model_error": ctx.holder.error,
        "storage": "ok" if storage_ok else "degraded",
        "storage_error": storage_error,
        "uptime_s": round(time.monotonic() - ctx.started, 1),
        "scoring_processes": len(ctx.pool.pids()) if ctx.pool else 0,
    }
    return JSONResponse(body)


async def check(request: Request) -> Response:
    ctx = context(request)
    principal = ctx.auth.require(request, "agent", "lead")
    ctx.limiter.hit(principal.name)
    body = await read_json(request, CHECK_FIELDS)
    served = ctx.holder.served
    if served is None:
        raise ApiError(503, "no_model", ctx.holder.error or "no model is loaded")
    text: str = body["text"]
    try:
        if ctx.pool is not None:
            scored = await ctx.pool.score(served.model, served.version, text)
        else:
            scored = score_for_api(served.model, text)
    except TextTooLong as error:
        raise ApiError(422, "invalid_field", f"text: {error}") from None
    ctx.metrics.checks.inc()
    stored = await ctx.write_check(
        StoredCheck(
            created_at=now(),
            agent=principal.name,
            team=principal.team,
            draft_id=body.get("draft_id"),
            site=site_host(body.get("site")),
            model_version=served.version,
            **scored.scores,
            overall=scored.overall,
            hedge_count=len(scored.hedges),
            text_length=len(text),
            text=redact(text) if ctx.settings.store_text else None,
            hedges=scored.hedges,
        )
    )
    head = json.dumps(
        {"model_version": served.version, "took_ms": scored.took_ms, "stored": stored}
    )
    return Response(head[:-1].encode() + b"," + scored.body[1:], media_type="application/json")


async def lexicon(request: Request) -> Response:
    ctx = context(request)
    ctx.auth.require(request, "agent", "lead")
    served = ctx.holder.served
    if served is None:
        raise ApiError(503, "no_model", ctx.holder.error or "no model is loaded")
    current = served.model.detector.lexicon
    etag = f'"{current.fingerprint}"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    wanted = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers=headers)
    return JSONResponse(current.as_json(), headers=headers)


async def post_feedback(request: Request) -> Response:
    ctx = context(request)
    principal = ctx.auth.require(request, "agent", "lead")
    ctx.limiter.hit(principal.name)
    body = await read_json(request, FEEDBACK_FIELDS)
    if body["verdict"] not in FEEDBACK_VERDICTS:
        raise ApiError(
            422,
            "invalid_field",
            f"verdict: {body['verdict']!r} is not one of {', '.join(FEEDBACK_VERDICTS)}",
        )
    text: str = body["text"]
    offsets = OffsetMap(text)
    try:
        start, end = offsets.from_utf16(body["start"]), offsets.from_utf16(body["end"])
    except OffsetError as error:
        raise ApiError(422, "invalid_field", f"start/end: {error}") from None
    if start >= end:
        raise ApiError(
            422, "invalid_field", f"start ({body['start']}) must be less than end ({body['end']})"
        )
    if not ctx.settings.store_text:
        # Only the words around the phrase are kept, unless the lead stores drafts.
        text, start, end = feedback_window(text, start, end)
    # Redact around the span, not inside it, so the stored offsets still point at the phrase.
    before, phrase, after = redact(text[:start]), text[start:end], redact(text[end:])
    values = {
        "created_at": now(),
        "agent": principal.name,
        "draft_id": body.get("draft_id"),
        "text": before + phrase + after,
        "start": len(before),
        "end": len(before) + len(phrase),
        "verdict": body["verdict"],
    }
    # In a thread: a locked database must not stall every other request on the event loop.
    feedback_id = await run_in_threadpool(
        ctx.write, "feedback", lambda s: s.record_feedback(values), True
    )
    return JSONResponse({"id": feedback_id}, status_code=201)


async def list_feedback(request: Request) -> Response:
    ctx = context(request)
    ctx.auth.require(request, "lead")
    raw_limit = request.query_params.get("limit", "100")
    if not re.fullmatch(r"[0-9]{1,5}", raw_limit) or not 1 <= int(raw_limit) <= 10_000:
        raise ApiError(
            422, "invalid_field", f"limit: {raw_limit!r} is not an integer from 1 to 10000"
        )
    items = ctx.read("feedback", lambda s: s.list_feedback(int(raw_limit)))
    for item in items:
        offsets = OffsetMap(item["text"])
        item["start"], item["end"] = offsets.to_utf16(item["start"]), offsets.to_utf16(item["end"])
        item["created_at"] = item["created_at"].isoformat()
    return JSONResponse({"items": items})


async def metrics(request: Request) -> Response:
    return Response(
        generate_latest(context(request).metrics.registry), media_type=CONTENT_TYPE_LATEST
    )


async def openapi(request: Request) -> Response:
    from tonecheck.server.openapi import openapi_document

    return JSONResponse(openapi_document())
