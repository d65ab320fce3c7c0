"""Upload the dashboards to a running Grafana over its HTTP API (grafana-client): the sensegrid
folder is created when missing, every dashboard is saved with ``overwrite: true``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from grafana_client.api import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaException

from sensegrid.grafana.dashboards import FOLDER_TITLE, FOLDER_UID
from sensegrid.grafana.model import Dashboard


class PushError(RuntimeError):
    """Grafana refused or could not be reached; the message says what to check."""


@dataclass(frozen=True)
class PushResult:
    folder_created: bool
    dashboards: tuple[str, ...]  # uids saved, in order


def _explain(exc: GrafanaException, url: str) -> str:
    status = exc.status_code
    if status == 0:
        return f"cannot reach Grafana at {url}: {exc.message}. Check --url / SENSEGRID_GRAFANA_URL."
    if status == 401:
        return (
            "Grafana refused the token (401 Unauthorized). Pass a service-account token with the Editor "
            "role as --token or SENSEGRID_GRAFANA_TOKEN."
        )
    if status == 403:
        return (
            "the token may not change dashboards (403 Forbidden): give its service account the Editor role."
        )
    if status == 412:
        return (
            f"Grafana rejected a dashboard (412 Precondition Failed: {exc.message}). Another dashboard may "
            "already have the same title in the folder; rename or delete it and push again."
        )
    return f"Grafana answered {status}: {exc.message}"


def _base_url(url: str) -> str:
    """`url` with a trailing slash, so grafana-client keeps a path prefix (``/grafana/api``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"--url must be an http:// or https:// address of Grafana, got {url!r}")
    return url if url.endswith("/") else url + "/"


def push(url: str, token: str, dashboards: Sequence[Dashboard], *, timeout_s: float = 10.0) -> PushResult:
    """Save the sensegrid folder and `dashboards` into the Grafana at `url` with bearer `token`."""
    if not token:
        raise PushError("no Grafana token: pass --token or set SENSEGRID_GRAFANA_TOKEN")
    api = GrafanaApi.from_url(_base_url(url), credential=token, timeout=timeout_s)
    created = False
    try:
        try:
            api.folder.get_folder(FOLDER_UID)
        except GrafanaClientError as exc:
            if exc.status_code != 404:
                raise
            api.folder.create_folder(FOLDER_TITLE, uid=FOLDER_UID)
            created = True
        for dashboard in dashboards:
            api.dashboard.update_dashboard(
                {
                    "dashboard": dashboard.to_json() | {"id": None},
                    "folderUid": FOLDER_UID,
                    "overwrite": True,
                    "message": "sensegrid grafana push",
                }
            )
    except GrafanaException as exc:
        raise PushError(_explain(exc, url)) from exc
    except (
        OSError
    ) as exc:  # connection refused, DNS, TLS: grafana-client's HTTP errors (OSError) pass through
        raise PushError(
            f"cannot reach Grafana at {url}: {exc}. Check --url / SENSEGRID_GRAFANA_URL."
        ) from exc
    return PushResult(created, tuple(d.uid for d in dashboards))
