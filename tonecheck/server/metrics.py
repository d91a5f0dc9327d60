"""Prometheus metrics, one registry per app, and the ASGI middleware that feeds them."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tonecheck_requests",
            "HTTP requests by route and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "tonecheck_request_seconds",
            "Time to answer a request, by route.",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )
        self.checks = Counter(
            "tonecheck_checks_scored", "Drafts scored by /v1/check.", registry=self.registry
        )
        self.scoring_fallbacks = Counter(
            "tonecheck_scoring_fallbacks",
            "Drafts scored in the server process because a scoring process failed, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.scoring_waiting = Gauge(
            "tonecheck_scoring_waiting",
            "Drafts waiting for a free scoring process (--workers); steadily above 0 means "
            "the server needs more cores.",
            registry=self.registry,
        )
        self.storage_batch = Histogram(
            "tonecheck_storage_batch_checks",
            "Checks written per transaction by the group-commit writer.",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
            registry=self.registry,
        )
        self.storage_errors = Counter(
            "tonecheck_storage_errors",
            "Failed storage writes or reads.",
            ["operation"],
            registry=self.registry,
        )
        self.model_reloads = Counter(
            "tonecheck_model_reloads",
            "Model swaps after CURRENT changed, by result.",
            ["result"],
            registry=self.registry,
        )
        self.model_info = Gauge(
            "tonecheck_model_loaded",
            "1 for the model version being served.",
            ["version"],
            registry=self.registry,
        )


class MetricsMiddleware:
    """Counts every request under its route template (not its raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    def _route(self, scope: Scope) -> str:
        router = scope.get("app")
        for route in getattr(router, "routes", []):
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return str(getattr(route, "path", "other"))
        return "unmatched"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = self._route(scope)
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - began)
