"""Webhook channel: POST the alert as signed JSON, with an idempotency key receivers dedupe on.

Each request carries

- ``X-Sensegrid-Signature: sha256=<hex>``: HMAC-SHA256 of the raw request body with the shared
  secret SENSEGRID_NOTIFY_WEBHOOK_SECRET. Receivers recompute it over the bytes they received
  (before parsing the JSON) and compare in constant time, e.g. in Python
  ``hmac.compare_digest(header, "sha256=" + hmac.new(secret, body, "sha256").hexdigest())``.
- ``Idempotency-Key: <event id>:webhook:<url>``: the same on every retry of one notification.
  Delivery is at least once — a dispatcher that dies after the receiver answered but before it
  recorded the answer sends again — so a receiver that must not act twice keeps the keys it saw.

The receiver's answer decides what happens next: 2xx delivered; 408, 429 and 5xx, timeouts and
connection errors are retried with backoff (honouring Retry-After); any other status is final and
the notification is given up with the status and the start of the response body as the reason.
"""

from __future__ import annotations

import hashlib
import hmac

import httpx
import orjson
import psycopg

from alerts.channels import DeliveryError
from store.outbox import OutboxItem

_RETRYABLE = frozenset({408, 429})
_BODY_EXCERPT = 200


def signature(secret: bytes, body: bytes) -> str:
    """The X-Sensegrid-Signature value of `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (the delta-seconds form; an HTTP date is ignored)."""
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


class WebhookChannel:
    """POSTs to the route's URL. One HTTP client (connection pool) shared by the dispatcher's workers."""

    def __init__(self, secret: str, timeout_s: float) -> None:
        if not secret:
            raise DeliveryError(
                "SENSEGRID_NOTIFY_WEBHOOK_SECRET is not set: webhooks are signed with it; "
                "set a long random string and share it with the receivers"
            )
        self.secret = secret.encode()
        self.timeout_s = timeout_s
        self.client = httpx.Client(timeout=timeout_s, follow_redirects=False)

    def deliver(self, item: OutboxItem, conn: psycopg.Connection) -> None:
        # Sorted keys: the same payload gives the same bytes, and so the same signature, every time.
        body = orjson.dumps(item.payload, option=orjson.OPT_SORT_KEYS)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "sensegrid-notify/1",
            "X-Sensegrid-Signature": signature(self.secret, body),
            "Idempotency-Key": item.idempotency_key,
        }
        url = item.target
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            raise DeliveryError(f"{url} did not answer within {self.timeout_s:g} s") from None
        except httpx.TransportError as exc:
            raise DeliveryError(f"cannot reach {url}: {exc or type(exc).__name__}") from None
        status = response.status_code
        if 200 <= status < 300:
            return
        excerpt = response.text[:_BODY_EXCERPT].strip()
        reason = f"{url} answered HTTP {status} {response.reason_phrase}" + (
            f": {excerpt}" if excerpt else ""
        )
        if status in _RETRYABLE or status >= 500:
            raise DeliveryError(reason, retry_after_s=_retry_after(response))
        if 300 <= status < 400:
            reason += (
                f" (redirect to {response.headers.get('location', '?')} not followed; route to the final URL)"
            )
        raise DeliveryError(reason, permanent=True)

    def close(self) -> None:
        self.client.close()
