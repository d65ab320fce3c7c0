"""JSON bodies of the read paths that answer many rows: built from plain rows, serialized once.

FastAPI checks a route's return value against its response model and then serializes it; for a
1,440-bucket series that is most of the request's time. Such routes answer `json_response(...)` of
dicts shaped like their documented response model (or of the model itself, serialized once); the
model stays in the route's decorator for the OpenAPI document, and the schemathesis test checks
every answer against it.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from fastapi import Response
from pydantic import BaseModel


def _default(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialize {type(value).__name__} as JSON")


def json_bytes(content: object) -> bytes:
    """`content` as JSON (datetimes as RFC 3339, UTC as Z; dataclasses as objects)."""
    return orjson.dumps(content, default=_default, option=orjson.OPT_UTC_Z)


def json_response(
    content: object, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """An application/json answer of `content`: rows, a response model, or bytes already serialized."""
    if isinstance(content, bytes):
        body = content
    elif isinstance(content, BaseModel):
        body = content.model_dump_json().encode()
    else:
        body = json_bytes(content)
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")
