"""``create_app(settings, services)``: the FastAPI application, its one error handler and its middleware.

Every error leaves as ``{"error": {"type", "message", "field"}}``: library errors with their own HTTP status
(:mod:`ai_identity.errors`), request-validation errors as 422 naming the field and the expected form (never
the value sent), unknown routes as 404, oversized bodies as 413. Logs carry route templates, statuses and
timings, never a body, a query string or a user id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

from ai_identity.errors import AIIdentityError
from ai_identity.service.config import Services, ServiceSettings
from ai_identity.service.deps import reject_unknown_query

__all__ = ["create_app"]

log = logging.getLogger("ai_identity.service")


class Metrics:
    """Prometheus metrics in the app's own registry (two apps in one process do not collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "aiid_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "aiid_http_request_seconds", "HTTP request latency", ["route"], registry=self.registry
        )
        self.events = Counter("aiid_events_accepted_total", "Events durably accepted", registry=self.registry)
        self.duplicates = Counter(
            "aiid_events_duplicate_total",
            "Events already in the log (idempotent retries)",
            registry=self.registry,
        )
        self.deferred = Counter(
            "aiid_events_redis_deferred_total", "Accepted events not copied to Redis", registry=self.registry
        )


def error_body(status: int, kind: str, message: str, field: str | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"error": {"type": kind, "message": message, "field": field, **extra}}, status_code=status
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def _validation(exc: RequestValidationError) -> JSONResponse:
    # pydantic's messages state the expected form; its "input" (the value sent) is deliberately dropped
    errors = [{"field": _field(e.get("loc", ())), "expected": str(e.get("msg", ""))} for e in exc.errors()]
    first = errors[0] if errors else {"field": "body", "expected": "a valid request"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return error_body(
        422,
        "ValidationError",
        f"{first['field']}: {first['expected']}{more}",
        first["field"],
        errors=errors[:50],
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(AIIdentityError)
    async def _library(_: Request, exc: AIIdentityError) -> JSONResponse:
        status = exc.http_status if 400 <= exc.http_status < 600 else 500
        return error_body(status, type(exc).__name__, str(exc), getattr(exc, "field", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_body(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s", type(exc).__name__)  # the type only: a message may carry a value
        return error_body(500, "InternalError", "internal error")


class BodyLimit:
    """Refuse a body over ``limit`` bytes with 413, by its Content-Length or, when streamed, as it arrives."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, receive, send)
            return
        if length is not None:
            await self.app(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        resp = error_body(413, "PayloadTooLarge", f"body: expected at most {self.limit} bytes", "body")
        await resp(scope, receive, send)


class Observe:
    """Request counts and latency by route template, and one log line per request without personal data."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def send_status(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            elapsed = time.perf_counter() - start
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            log.info("%s %s %d %.1fms", scope["method"], route, status, elapsed * 1000)


def create_app(settings: ServiceSettings, services: Services, close_services: bool = False) -> FastAPI:
    """The service over already opened ``services``; the caller closes them, or the app's lifespan does
    when ``close_services`` (a uvicorn worker's factory)."""
    from ai_identity.service import routes_ingest, routes_read, routes_rights

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if services.updater is not None:  # incremental identity updates (service/updates.py)
            services.updater.start()
        try:
            yield
        finally:
            if services.updater is not None:
                services.updater.stop()
            if close_services:
                services.close()

    app = FastAPI(
        title="ai-identity",
        version="1",
        description="AI identities over HTTP: event ingest, identities by viewer, similar users, users' rights.",
        dependencies=[Depends(reject_unknown_query)],
        lifespan=lifespan,
    )
    metrics = Metrics()
    app.state.settings, app.state.services, app.state.metrics = settings, services, metrics
    _install_handlers(app)
    app.include_router(routes_ingest.router)
    app.include_router(routes_read.router)
    app.include_router(routes_rights.router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(Observe, metrics=metrics)
    return app
