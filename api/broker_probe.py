"""Is the MQTT broker there: one MQTT 3.1.1 CONNECT/CONNACK round trip, then DISCONNECT."""

from __future__ import annotations

import os
import socket
import ssl
import struct

from core.settings import MqttEndpoint

_CONNACK_REASONS = {
    1: "unacceptable protocol version",
    2: "client id rejected",
    3: "server unavailable",
    4: "bad user name or password",
    5: "not authorized",
}


def _utf8(text: str) -> bytes:
    data = text.encode("utf-8")
    return struct.pack("!H", len(data)) + data


def _remaining_length(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def probe_broker(endpoint: MqttEndpoint, timeout_s: float = 3.0) -> str:
    """A description of the broker's answer; raises OSError/ConnectionError when it is not usable."""
    flags = 0x02  # clean session: the probe leaves nothing behind on the broker
    payload = _utf8(f"sensegrid-api-probe-{os.urandom(4).hex()}")
    if endpoint.username is not None:
        flags |= 0x80
        payload += _utf8(endpoint.username)
        if endpoint.password is not None:
            flags |= 0x40
            payload += _utf8(endpoint.password)
    variable = _utf8("MQTT") + bytes([4, flags]) + struct.pack("!H", 10)
    packet = b"\x10" + _remaining_length(len(variable) + len(payload)) + variable + payload
    with socket.create_connection((endpoint.host, endpoint.port), timeout=timeout_s) as raw:
        sock: socket.socket = raw
        if endpoint.tls:
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=endpoint.host)
        sock.sendall(packet)
        answer = b""
        while len(answer) < 4:
            chunk = sock.recv(4 - len(answer))
            if not chunk:
                raise ConnectionError("the broker closed the connection without a CONNACK")
            answer += chunk
        if answer[0] != 0x20:
            raise ConnectionError(f"the broker answered with packet type {answer[0] >> 4}, not CONNACK")
        if answer[3] != 0:
            raise ConnectionError(f"the broker refused: {_CONNACK_REASONS.get(answer[3], answer[3])}")
        sock.sendall(b"\xe0\x00")
    return f"{endpoint.host}:{endpoint.port} accepted an MQTT connection"
