"""E-mail notifications against a real SMTP server (aiosmtpd on 127.0.0.1): bilingual text,
every recipient, and a final refusal given up with the server's reason."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import orjson
import psycopg
import pytest
from aiosmtpd.controller import Controller

from alerts.outbox import Dispatcher
from core.settings import Settings
from sensegrid.ports import free_port
from tests.alerts.notify_rig import add_alert, change, notify_settings, outbox

TO = "duty@roads.example, control-room@roads.example"


class Mailbox:
    """An aiosmtpd handler keeping every message; addresses in `refuse` get a permanent 550."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def email_dispatcher(migrated: Settings, port: int, to: str = TO) -> Dispatcher:
    return Dispatcher(
        notify_settings(
            migrated,
            [{"channel": "email", "target": to}],
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_tls="off",
            smtp_from="sensegrid@roads.example",
        )
    )


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_alert_email_arrives_in_chinese_and_english_for_every_recipient(
    db: psycopg.Connection, migrated: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    fog, event_id = add_alert(db, device="vis-k100", site="G15-K100", severity=3, level="orange")
    dispatcher = email_dispatcher(migrated, port)
    dispatcher.run_once()
    change(db, fog, "resolved")
    dispatcher.run_once()
    dispatcher.close()

    assert [r["status"] for r in outbox(db)] == ["sent", "sent"]
    assert len(box.messages) == 2
    (recipients, fired), (_, resolved) = box.messages
    assert sorted(recipients) == ["control-room@roads.example", "duty@roads.example"]
    assert fired["From"] == "sensegrid@roads.example"
    subject = fired["Subject"]
    for words in ("告警", "FIRING", "严重", "major", "大雾", "Fog", "vis-k100"):
        assert words in subject
    body = text_of(fired)
    assert "能见度 180 米：限速 60 km/h" in body
    assert "Visibility 180 m: limit 60 km/h" in body
    assert "状态：告警" in body and "站点：G15-K100" in body and "领域：智慧城市" in body
    assert "State: FIRING" in body and "Site: G15-K100" in body
    assert "已恢复" in resolved["Subject"] and "RESOLVED" in resolved["Subject"]

    attachment = next(fired.iter_attachments())
    assert attachment.get_filename() == "alert.json"
    payload = orjson.loads(attachment.get_content())
    assert (payload["event_id"], payload["device"], payload["level"]) == (event_id, "vis-k100", "orange")
    assert fired["Message-ID"] != resolved["Message-ID"]
    assert fired["X-Sensegrid-Idempotency-Key"].strip() == f"{event_id}:email:{TO}"


def test_recipient_refused_for_good_is_given_up_with_the_servers_reason(
    db: psycopg.Connection, migrated: Settings, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse = {"gone@roads.example"}
    add_alert(db)
    dispatcher = email_dispatcher(migrated, port, to="gone@roads.example")
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["gave_up"]
    [row] = outbox(db)
    assert row["status"] == "gave_up"
    assert "gone@roads.example: 550" in row["last_error"]
    assert "no such mailbox" in row["last_error"]
    assert box.messages == []


def test_smtp_server_down_is_retried_not_given_up(db: psycopg.Connection, migrated: Settings) -> None:
    add_alert(db)
    dispatcher = email_dispatcher(migrated, free_port())
    _, outcomes = dispatcher.run_once()
    dispatcher.close()

    assert [o.status for o in outcomes] == ["pending"]
    [row] = outbox(db)
    assert row["attempts"] == 1
    assert "cannot send through 127.0.0.1" in row["last_error"]
