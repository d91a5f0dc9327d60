"""`create_app()`: the one Starlette application used by uvicorn, the CLI and the tests."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from tonecheck.model.artifact import ArtifactError
from tonecheck.model.lexicon import load_lexicon
from tonecheck.server import api
from tonecheck.server.auth import Authenticator
from tonecheck.server.check_writer import CheckWriter
from tonecheck.server.config import Settings
from tonecheck.server.context import AppContext
from tonecheck.server.errors import (
    ApiError,
    api_error_handler,
    http_error_handler,
    server_error_handler,
)
from tonecheck.server.metrics import Metrics, MetricsMiddleware
from tonecheck.server.model_holder import ModelHolder
from tonecheck.server.ratelimit import RateLimiter
from tonecheck.server.report_routes import report_routes, session_middleware
from tonecheck.server.scoring_pool import ScoringPool
from tonecheck.server.storage import Storage

log = logging.getLogger("tonecheck")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, AppContext]]:
        storage = Storage.open(settings.db)
        team_lexicon = load_lexicon(settings.lexicon_file) if settings.lexicon_file else None
        holder = ModelHolder(settings.artifacts, metrics, team_lexicon)
        try:
            holder.load_now()
        except ArtifactError as error:
            holder.error = str(error)
            log.error("no model loaded: %s", error)
        pool = None
        if settings.workers > 0:
            served = holder.served
            pool = ScoringPool(settings.workers, settings.artifacts, settings.lexicon_file, metrics)
            pids = await pool.start((served.version, served.model) if served else None)
            log.info("%d scoring processes: %s", len(pids), ", ".join(map(str, pids)))
        writer = CheckWriter(storage, metrics)
        ctx = AppContext(
            settings=settings,
            storage=storage,
            metrics=metrics,
            holder=holder,
            auth=Authenticator(storage),
            limiter=RateLimiter(settings.rate_limit),
            writer=writer,
            pool=pool,
        )
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(
                    holder.watch, (lambda served: pool.warm(served.version)) if pool else None
                )
                yield {"ctx": ctx}
                tasks.cancel_scope.cancel()
        finally:
            if pool is not None:
                await pool.shutdown()
            await anyio.to_thread.run_sync(writer.close)
            storage.engine.dispose()

    routes = [
        Route("/", api.home, methods=["GET"]),
        Route("/v1/health", api.health, methods=["GET"]),
        Route("/v1/ping", api.ping, methods=["GET"]),
        Route("/v1/check", api.check, methods=["POST"]),
        Route("/v1/lexicon", api.lexicon, methods=["GET"]),
        Route("/v1/feedback", api.feedback, methods=["GET", "POST"]),
        Route("/v1/openapi.json", api.openapi, methods=["GET"]),
        Route("/metrics", api.metrics, methods=["GET"]),
        *report_routes(),
    ]
    middleware = [Middleware(MetricsMiddleware, metrics=metrics), session_middleware(settings)]
    if settings.allow_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allow_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "If-None-Match"],
                expose_headers=["ETag", "Retry-After"],
                max_age=600,
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            ApiError: api_error_handler,
            HTTPException: http_error_handler,
            Exception: server_error_handler,
        },
    )
