"""OpenTelemetry tracing of the API (`Settings.otel`, off by default): spans for every HTTP
request (FastAPI), every SQL statement (SQLAlchemy, the service's engine) and every
outgoing httpx call (Rasa, webhooks, Chatwoot), with the official instrumentations. This
module is imported only when tracing is on.

Spans go to an OTLP/HTTP collector at `otel_endpoint` (`{otel_endpoint}/v1/traces`), or,
with no endpoint, to stderr (the console exporter: a look without a collector). The
service's own TracerProvider is passed to each instrumentation; the process's global one
is left alone. The standard OTEL_* variables still apply (OTEL_SERVICE_NAME,
OTEL_PYTHON_FASTAPI_EXCLUDED_URLS, ...).

No secret leaves in a span: URLs carry tokens (a WebSocket's `?token=`, Rasa's `?token=`
on the calls to its HTTP API), so every span's string attributes and its name go through
the log filter's mask (api.logs.mask) before any exporter sees them (`MaskingExporter`).
SQL statements are recorded with their placeholders, never their values."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from sqlalchemy import Engine

from api.config import Settings
from api.logs import mask

DEFAULT_SERVICE_NAME = "agent-assist-api"


def masked(span: ReadableSpan) -> ReadableSpan:
    """`span` with every secret in its name and string attributes masked (itself when it
    holds none)."""
    attrs = dict(span.attributes or {})
    clean = {k: mask(v) if isinstance(v, str) else v for k, v in attrs.items()}
    name = mask(span.name)
    if clean == attrs and name == span.name:
        return span
    return ReadableSpan(
        name=name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=clean,
        events=span.events,
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class MaskingExporter(SpanExporter):
    """Hands `inner` the spans with their secrets masked."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.inner.export([masked(s) for s in spans])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def _processor(settings: Settings, exporter: SpanExporter | None) -> SpanProcessor:
    if exporter is not None:  # tests: an in-memory exporter, spans there at once
        return SimpleSpanProcessor(MaskingExporter(exporter))
    if settings.otel_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otel_endpoint.rstrip("/") + "/v1/traces"
        return BatchSpanProcessor(MaskingExporter(OTLPSpanExporter(endpoint=endpoint)))
    return BatchSpanProcessor(MaskingExporter(ConsoleSpanExporter(out=sys.stderr)))


class Tracing:
    """The tracer provider and what it instruments; `close()` undoes it and flushes."""

    def __init__(self, settings: Settings, exporter: SpanExporter | None = None) -> None:
        self.provider = TracerProvider(
            resource=Resource.create(
                {SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME") or DEFAULT_SERVICE_NAME}
            )
        )
        self.provider.add_span_processor(_processor(settings, exporter))
        self._app: FastAPI | None = None
        self._sql = SQLAlchemyInstrumentor()
        self._httpx = HTTPXClientInstrumentor()

    def instrument_app(self, app: FastAPI) -> None:
        """In the app factory: the middleware must be in place before the app starts."""
        FastAPIInstrumentor.instrument_app(app, tracer_provider=self.provider)
        self._app = app
        # clients of every httpx transport (the bot's, the webhooks', Chatwoot's)
        self._httpx.instrument(tracer_provider=self.provider)

    def instrument_engine(self, engine: Engine) -> None:
        """In the lifespan, once the database is open. skip_dep_check: the
        instrumentation declares SQLAlchemy < 2.1 and works with the 2.1 we use (its
        engine events are unchanged; tests/api/test_api_observability.py checks)."""
        self._sql.instrument(engine=engine, tracer_provider=self.provider, skip_dep_check=True)

    def close(self) -> None:
        if self._sql.is_instrumented_by_opentelemetry:
            self._sql.uninstrument()
        if self._httpx.is_instrumented_by_opentelemetry:
            self._httpx.uninstrument()
        if self._app is not None:
            FastAPIInstrumentor.uninstrument_app(self._app)
        self.provider.shutdown()
