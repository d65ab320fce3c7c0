"""Silences of the caller's tenant: maintenance windows in which matching alerts are not notified."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from alerts.silences import create_silence, expire_silence
from api.deps import Conn, Operator, Viewer
from api.problems import ProblemError, body_refused
from api.schemas import SilenceCreate, SilenceOut
from store.silences import SilenceRow, list_silences

router = APIRouter(prefix="/silences", tags=["alerts"])


def silence_out(row: SilenceRow) -> SilenceOut:
    return SilenceOut(
        id=row.id,
        matchers=row.matchers,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        created_by=row.created_by,
        comment=row.comment,
        created_at=row.created_at,
    )


@router.get("", response_model=list[SilenceOut], summary="Silences in force or to come, soonest ending first")
def get_silences(
    principal: Viewer,
    conn: Conn,
    include_expired: Annotated[bool, Query(description="true lists ended silences too.")] = False,
) -> list[SilenceOut]:
    rows = list_silences(conn, tenant=principal.tenant, include_expired=include_expired)
    return [silence_out(r) for r in rows]


@router.post("", response_model=SilenceOut, status_code=201, summary="Set a silence (operator)")
def post_silence(body: SilenceCreate, principal: Operator, conn: Conn) -> SilenceOut:
    for name, value in (("starts_at", body.starts_at), ("ends_at", body.ends_at)):
        if value is not None and value.tzinfo is None:
            raise ProblemError(
                422,
                f"body.{name}: {value.isoformat()} has no time zone; "
                "give one, e.g. 2026-11-27T18:00:00+08:00",
                kind="invalid-request",
            )
    if body.ends_at <= datetime.now(UTC):
        raise ProblemError(
            422,
            f"body.ends_at: {body.ends_at.isoformat()} is in the past; a silence must end later",
            kind="invalid-request",
        )
    with body_refused():
        row = create_silence(
            conn,
            tenant=principal.tenant,
            matchers=dict(body.matchers),
            ends_at=body.ends_at,
            starts_at=body.starts_at,
            created_by=principal.name,
            comment=body.comment,
        )
    return silence_out(row)


@router.delete(
    "/{silence_id}",
    response_model=SilenceOut,
    summary="End a silence now (operator); one not yet started is deleted",
)
def delete_silence(silence_id: int, principal: Operator, conn: Conn) -> SilenceOut:
    own = {s.id for s in list_silences(conn, tenant=principal.tenant)}
    if silence_id not in own:
        raise ProblemError(
            404,
            f"no silence {silence_id} in force or to come in your tenant (GET /silences lists them)",
            kind="not-found",
        )
    try:
        return silence_out(expire_silence(conn, silence_id))
    except LookupError as exc:
        raise ProblemError(404, str(exc), kind="not-found") from None
