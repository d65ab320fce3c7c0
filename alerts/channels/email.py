"""E-mail channel: one bilingual (zh-CN first, then English) message per alert event over SMTP.

The server and login come from SENSEGRID_SMTP_*; the route's target is one or more addresses,
comma-separated. The Message-ID is derived from the outbox idempotency key, so a message sent
again after a dispatcher crash carries the same id and mail systems can drop the copy. The alert
payload rides along as ``alert.json`` for programs that read the mailbox.

A 5xx answer about the message or its recipients is final (given up with the server's words);
connection problems, 4xx answers and a refused login are retried — the last two are usually a
server or configuration matter that someone fixes.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import orjson
import psycopg

from alerts.channels import DeliveryError
from core.settings import Settings
from domains import registry
from domains.model import Text
from store.outbox import OutboxItem

log = logging.getLogger("sensegrid.notify")

STATE_TITLES = {
    "firing": Text(en="FIRING", zh="告警"),
    "acknowledged": Text(en="ACKNOWLEDGED", zh="已确认"),
    "resolved": Text(en="RESOLVED", zh="已恢复"),
}


def _area_title(area_id: str) -> Text:
    try:
        return registry.area(area_id).title
    except KeyError:
        return Text(en=area_id, zh=area_id)


def _value(p: dict[str, Any]) -> str:
    value = p.get("value")
    return f"{value:g}" if isinstance(value, int | float) else "—"


def compose(payload: dict[str, Any], *, sender: str, to: str, idempotency_key: str) -> EmailMessage:
    """The e-mail telling of one alert event."""
    p = payload
    state = STATE_TITLES.get(str(p["state"]), Text(en=str(p["state"]).upper(), zh=str(p["state"])))
    sev = p["severity_title"]
    title = p["title"]
    area = _area_title(str(p["area"]))
    device = p.get("device") or "—"
    level = f"（{p['level']}）" if p.get("level") else ""
    level_en = f" ({p['level']})" if p.get("level") else ""
    msg = EmailMessage()
    msg["Subject"] = (
        f"[{state.zh} {state.en}] {sev['zh']} {sev['en']} · {title['zh']} / {title['en']} · {device}"
    )
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
    domain = sender.rpartition("@")[2] or "sensegrid"
    msg["Message-ID"] = f"<sensegrid.{p['event_id']}.{digest}@{domain}>"
    msg["X-Sensegrid-Idempotency-Key"] = idempotency_key
    msg.set_content(
        f"{p['message']['zh']}\n\n"
        f"状态：{state.zh}　级别：{sev['zh']}{level}　数值：{_value(p)}\n"
        f"设备：{device}　站点：{p.get('site') or '—'}　领域：{area.zh}　租户：{p['tenant']}\n"
        f"规则：{p['rule_id']}　时间：{p['event_time']}\n"
        "\n———\n\n"
        f"{p['message']['en']}\n\n"
        f"State: {state.en}   Severity: {sev['en']}{level_en}   Value: {_value(p)}\n"
        f"Device: {device}   Site: {p.get('site') or '—'}   Area: {area.en}   Tenant: {p['tenant']}\n"
        f"Rule: {p['rule_id']}   Time: {p['event_time']}\n\n"
        f"alert {p['alert_id']} · event {p['event_id']} · fingerprint {p['fingerprint']}\n"
    )
    msg.add_attachment(
        orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS),
        maintype="application",
        subtype="json",
        filename="alert.json",
    )
    return msg


class EmailChannel:
    """A new SMTP conversation per message (alerts are rare; nothing to keep open)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise DeliveryError("SENSEGRID_SMTP_HOST is not set: e-mail routes need an SMTP server")
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        timeout = s.notify_timeout_s
        if s.smtp_tls == "ssl":
            return smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=timeout, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
        if s.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def deliver(self, item: OutboxItem, conn: psycopg.Connection) -> None:
        s = self.settings
        msg = compose(item.payload, sender=s.smtp_from, to=item.target, idempotency_key=item.idempotency_key)
        server = f"{s.smtp_host}:{s.smtp_port}"
        try:
            with self._connect() as smtp:
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
                refused = smtp.send_message(msg)
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"{server}: {exc}; if the server offers no TLS, set SENSEGRID_SMTP_TLS=off "
                "(or ssl for a TLS port such as 465)"
            ) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"{server} refused the login of {s.smtp_user!r} ({exc.smtp_code} {_text(exc.smtp_error)}); "
                "check SENSEGRID_SMTP_USER and SENSEGRID_SMTP_PASSWORD"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(
                f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in exc.recipients.items()
            )
            raise DeliveryError(
                f"{server} refused every recipient: {detail}", permanent=all(c >= 500 for c in codes)
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"{server} answered {exc.smtp_code} {_text(exc.smtp_error)}", permanent=exc.smtp_code >= 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"cannot send through {server}: {exc or type(exc).__name__}") from None
        if refused:  # the others have it; a retry would send them a second copy
            log.warning("outbox row %d: %s refused some recipients: %s", item.id, server, refused)

    def close(self) -> None:
        """Nothing is kept open between messages."""


def _text(raw: bytes | str) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else raw
