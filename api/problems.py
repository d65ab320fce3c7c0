"""RFC 9457 problem details: every 4xx/5xx the API sends is `application/problem+json`."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import FieldError, Problem

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://sensegrid.dev/problems/"
log = logging.getLogger("sensegrid.api")

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    422: "Invalid request",
    500: "Internal server error",
    503: "Service unavailable",
}


def documented(status: int, description: str) -> dict[int | str, dict[str, object]]:
    """An OpenAPI `responses` entry for a problem a route can answer besides the common ones."""
    return {status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": description}}


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = list(errors)
        self.headers = dict(headers or {})


@contextmanager
def body_refused() -> Iterator[None]:
    """A ValueError raised inside (the request body names something impossible) answers 422 `body: …`."""
    try:
        yield
    except ValueError as exc:
        raise ProblemError(422, f"body: {exc}", kind="invalid-request") from None


def problem_response(
    request: Request | None,
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, object] | None = None,
) -> JSONResponse:
    """The problem+json response for `status` with a human-readable `detail` (and RFC 9457
    extension members, if any)."""
    body = Problem(
        type=PROBLEM_BASE + kind if kind else "about:blank",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=list(errors) or None,
    )
    return JSONResponse(
        {**body.model_dump(exclude_none=True), **(extensions or {})},
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_JSON,
    )


def _field(loc: Sequence[object]) -> str:
    """`("query", "limit")` → `query.limit`; a body root is just `body`."""
    return ".".join(str(part) for part in loc)


def _accepted(error: Mapping[str, object]) -> str | None:
    ctx = error.get("ctx")
    if isinstance(ctx, Mapping):
        if "expected" in ctx:
            return f"one of {ctx['expected']}"
        for key, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            if key in ctx:
                limit = ctx[key]
                shown = f"{limit:g}" if isinstance(limit, float) else str(limit)
                return f"a number {word} {shown}"
        if "pattern" in ctx:
            return f"text matching {ctx['pattern']}"
        if "max_length" in ctx:
            return f"at most {ctx['max_length']} characters"
        if "min_length" in ctx:
            return f"at least {ctx['min_length']} characters"
    return None


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for error in exc.errors():
        accepted = _accepted(error)
        out.append(
            FieldError(
                field=_field(error.get("loc", ())),
                message=str(error.get("msg", "invalid")),
                accepted=accepted,
            )
        )
    return out


def install(app: FastAPI) -> None:
    """Route every error through problem+json."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.detail, kind=exc.kind, errors=exc.errors, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        detail = "; ".join(
            f"{e.field}: {e.message}" + (f" (accepted: {e.accepted})" if e.accepted else "") for e in errors
        )
        return problem_response(request, 422, detail, kind="invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "the request body could not be read: send UTF-8 JSON with Content-Type: application/json"
        elif exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.url.path}; the OpenAPI document at /openapi.json lists every route"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(request, exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(psycopg.DataError)
    async def _unstorable(request: Request, exc: psycopg.DataError) -> JSONResponse:
        # Values the database refuses as data (a NUL character in text, a date out of range):
        # the request's fault, not the server's.
        detail = f"a value of the request cannot be used: {str(exc).splitlines()[0]}"
        return problem_response(request, 422, detail, kind="invalid-request")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "the server failed to answer; the error is logged")
