#!/usr/bin/env python3
"""t3 connectivity probe: Prometheus text metrics for three legs of the path to t3.

Python 3 standard library only (it runs in python:3.12-alpine with no pip install; kept compatible with
3.11). Legs, run concurrently:

  cloudflare  WebSocket PROBE_WS_URL, host resolved through Cloudflare DNS-over-HTTPS (PROBE_DOH_URL), so
              the connection takes the public path through Cloudflare.
  internal    the same URL with the TCP connection pinned to PROBE_PIN_IP (the internal Traefik LB); TLS
              SNI and the Host header stay the URL's host.
  t3serve     HTTP GET PROBE_SESSION_URL every PROBE_SESSION_INTERVAL s; up iff it answers 200.

Each WebSocket leg sends a text frame `ping <unix ns>` every PROBE_PING_INTERVAL s and expects any data
frame back within PROBE_RECV_TIMEOUT s (the RTT is recorded). A dead connection is counted by reason and
re-dialled after min(PROBE_BACKOFF_STEP * attempts, PROBE_BACKOFF_MAX) s, where attempts counts
consecutive failures (a connection that came up resets it to 1).

Reasons: connect_failed (DNS, TCP, TLS, or the handshake was refused), connect_timeout (no handshake
within PROBE_CONNECT_TIMEOUT), rtt_timeout (no reply in time), io_error (socket error or protocol
violation after the handshake), closed_<code> (close frame from the server; 1005 = it carried no code,
1006 = the connection ended without a close frame). t3serve: http_<status>, rtt_timeout, connect_failed,
counted on every failed check.

Metrics on PROBE_BIND:PROBE_PORT (0.0.0.0:9108), path /metrics (and /):
  t3probe_connected{leg}  t3probe_disconnects_total{leg,reason}  t3probe_rtt_seconds{leg}
  t3probe_connection_age_seconds{leg}  t3probe_last_disconnect_timestamp{leg}
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import ipaddress
import json
import logging
import os
import signal
import ssl
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

LEGS = ("cloudflare", "internal", "t3serve")
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 1 << 20  # bytes; a server sending more is treated as a protocol violation
USER_AGENT = "t3-probe/1"

log = logging.getLogger("t3-probe")


class ConfigError(Exception):
    pass


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{name} must be a positive number, got {raw!r}")
    return value


def load_config() -> dict:
    env = os.environ.get
    cfg = {
        "port": env("PROBE_PORT", "9108").strip(),
        "bind": env("PROBE_BIND", "0.0.0.0").strip(),
        "legs": [x.strip() for x in env("PROBE_LEGS", ",".join(LEGS)).split(",") if x.strip()],
        "ws_url": env("PROBE_WS_URL", "wss://t3.viktorbarzin.me/probe/ws").strip(),
        "pin_ip": env("PROBE_PIN_IP", "10.0.20.203").strip(),
        "doh_url": env("PROBE_DOH_URL", "https://1.1.1.1/dns-query").strip(),
        "session_url": env("PROBE_SESSION_URL", "http://10.0.10.10:3773/api/auth/session").strip(),
        "ping_interval": _env_number("PROBE_PING_INTERVAL", 10),
        "recv_timeout": _env_number("PROBE_RECV_TIMEOUT", 20),
        "connect_timeout": _env_number("PROBE_CONNECT_TIMEOUT", 15),
        "session_interval": _env_number("PROBE_SESSION_INTERVAL", 10),
        "session_timeout": _env_number("PROBE_SESSION_TIMEOUT", 20),
        "backoff_step": _env_number("PROBE_BACKOFF_STEP", 3),
        "backoff_max": _env_number("PROBE_BACKOFF_MAX", 30),
    }
    if not cfg["port"].isdigit() or not 0 < int(cfg["port"]) < 65536:
        raise ConfigError(f"PROBE_PORT must be a port number, got {cfg['port']!r}")
    cfg["port"] = int(cfg["port"])
    unknown = [x for x in cfg["legs"] if x not in LEGS]
    if unknown or not cfg["legs"]:
        raise ConfigError(f"PROBE_LEGS must list some of {','.join(LEGS)}, got {env('PROBE_LEGS')!r}")
    if "cloudflare" in cfg["legs"] or "internal" in cfg["legs"]:
        cfg["ws"] = parse_ws_url(cfg["ws_url"])
    if "internal" in cfg["legs"]:
        try:
            ipaddress.ip_address(cfg["pin_ip"])
        except ValueError:
            raise ConfigError(f"PROBE_PIN_IP must be an IP address, got {cfg['pin_ip']!r}") from None
    for key, name in (("doh_url", "PROBE_DOH_URL"), ("session_url", "PROBE_SESSION_URL")):
        if urllib.parse.urlsplit(cfg[key]).scheme not in ("http", "https"):
            raise ConfigError(f"{name} must be an http(s) URL, got {cfg[key]!r}")
    return cfg


def parse_ws_url(url: str) -> dict:
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("ws", "wss") or not u.hostname:
        raise ConfigError(f"PROBE_WS_URL must be a ws:// or wss:// URL, got {url!r}")
    try:
        port = u.port or (443 if u.scheme == "wss" else 80)
    except ValueError:
        raise ConfigError(f"PROBE_WS_URL has a bad port: {url!r}") from None
    default_port = port == (443 if u.scheme == "wss" else 80)
    host_literal = f"[{u.hostname}]" if ":" in u.hostname else u.hostname
    return {
        "tls": u.scheme == "wss",
        "host": u.hostname,
        "port": port,
        "host_header": host_literal if default_port else f"{host_literal}:{port}",
        "target": (u.path or "/") + (f"?{u.query}" if u.query else ""),
    }


# ---- metrics -------------------------------------------------------------------------------------------


class Metrics:
    def __init__(self, legs: list[str]) -> None:
        self.legs = legs
        self.connected = {leg: 0 for leg in legs}
        self.since: dict[str, float | None] = {leg: None for leg in legs}  # monotonic time it came up
        self.rtt: dict[str, float] = {}
        self.disconnects: dict[tuple[str, str], int] = {}
        self.last_disconnect: dict[str, float] = {}

    def up(self, leg: str) -> None:
        if not self.connected[leg]:
            self.connected[leg] = 1
            self.since[leg] = time.monotonic()

    def down(self, leg: str, reason: str) -> None:
        self.connected[leg] = 0
        self.since[leg] = None
        self.disconnects[(leg, reason)] = self.disconnects.get((leg, reason), 0) + 1
        self.last_disconnect[leg] = time.time()

    def render(self) -> str:
        now = time.monotonic()
        out: list[str] = []

        def family(name: str, kind: str, help_text: str, samples: list[tuple[dict, float]]) -> None:
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")
            for labels, value in samples:
                lbl = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
                out.append(f"{name}{{{lbl}}} {_number(value)}")

        family(
            "t3probe_connected",
            "gauge",
            "1 while the leg is up (t3serve: the last check answered 200).",
            [({"leg": leg}, self.connected[leg]) for leg in self.legs],
        )
        family(
            "t3probe_disconnects_total",
            "counter",
            "Connection deaths (t3serve: failed checks) by leg and reason.",
            [({"leg": leg, "reason": r}, n) for (leg, r), n in sorted(self.disconnects.items())],
        )
        family(
            "t3probe_rtt_seconds",
            "gauge",
            "Last round-trip time: WebSocket ping to reply, or the t3serve request.",
            [({"leg": leg}, self.rtt[leg]) for leg in self.legs if leg in self.rtt],
        )
        family(
            "t3probe_connection_age_seconds",
            "gauge",
            "Seconds the leg has been up (0 while down).",
            [
                ({"leg": leg}, (now - self.since[leg]) if self.since[leg] is not None else 0.0)
                for leg in self.legs
            ],
        )
        family(
            "t3probe_last_disconnect_timestamp",
            "gauge",
            "Unix time of the leg's last death.",
            [({"leg": leg}, self.last_disconnect[leg]) for leg in self.legs if leg in self.last_disconnect],
        )
        return "\n".join(out) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


async def serve_metrics(metrics: Metrics, bind: str, port: int) -> asyncio.base_events.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            parts = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            path = urllib.parse.urlsplit(parts[1]).path if len(parts) >= 2 else ""
            if len(parts) < 2 or parts[0] != "GET":
                status, body = "405 Method Not Allowed", b"GET only\n"
            elif path in ("/metrics", "/"):
                status, body = "200 OK", metrics.render().encode()
            else:
                status, body = "404 Not Found", b"not found\n"
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            writer.close()

    return await asyncio.start_server(handle, bind, port)


# ---- HTTP helpers (blocking; run in a thread) ----------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib API
        return None  # a redirect is an answer like any other: report its status


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def http_get(url: str, timeout: float, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return resp.status, resp.read(MAX_MESSAGE)
    except urllib.error.HTTPError as e:
        return e.code, b""


def doh_resolve(doh_url: str, host: str, timeout: float) -> str:
    """First A record of host from a DNS-over-HTTPS JSON endpoint."""
    sep = "&" if "?" in doh_url else "?"
    url = doh_url + sep + urllib.parse.urlencode({"name": host, "type": "A"})
    status, body = http_get(url, timeout, {"accept": "application/dns-json"})
    if status != 200:
        raise OSError(f"DoH answered HTTP {status}")
    data = json.loads(body)
    if data.get("Status") != 0:
        raise OSError(f"DoH status {data.get('Status')} for {host}")
    for answer in data.get("Answer") or []:
        if answer.get("type") == 1:
            return str(ipaddress.IPv4Address(answer.get("data")))
    raise OSError(f"DoH: no A record for {host}")


# ---- minimal RFC 6455 client ---------------------------------------------------------------------------


class ProtocolError(Exception):
    pass


class HandshakeError(Exception):
    pass


def encode_frame(opcode: int, payload: bytes) -> bytes:
    """A final, masked client frame."""
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    mask = os.urandom(4)
    return header + mask + _xor(payload, mask)


def _xor(data: bytes, mask: bytes) -> bytes:
    if not data:
        return b""
    key = int.from_bytes((mask * (len(data) // 4 + 1))[: len(data)], "big")
    return (int.from_bytes(data, "big") ^ key).to_bytes(len(data), "big")


async def read_frame(reader: asyncio.StreamReader) -> tuple[bool, int, bytes]:
    b0, b1 = await reader.readexactly(2)
    if b0 & 0x70:
        raise ProtocolError("reserved bits set")
    fin, opcode, n = bool(b0 & 0x80), b0 & 0x0F, b1 & 0x7F
    if n == 126:
        (n,) = struct.unpack("!H", await reader.readexactly(2))
    elif n == 127:
        (n,) = struct.unpack("!Q", await reader.readexactly(8))
    if n > MAX_MESSAGE:
        raise ProtocolError(f"frame of {n} bytes")
    mask = await reader.readexactly(4) if b1 & 0x80 else None  # servers must not mask; tolerate it
    payload = await reader.readexactly(n)
    if mask:
        payload = _xor(payload, mask)
    if opcode >= 0x8 and (not fin or n > 125):
        raise ProtocolError("fragmented or oversized control frame")
    return fin, opcode, payload


class WsConnection:
    """An open WebSocket. A reader task answers pings and queues ("data", bytes), ("closed", code) or
    ("error", exc) events."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.events: asyncio.Queue = asyncio.Queue()
        self.close_sent = False
        self._task = asyncio.create_task(self._read_loop())

    async def send(self, opcode: int, payload: bytes) -> None:
        self.writer.write(encode_frame(opcode, payload))
        await self.writer.drain()

    async def _read_loop(self) -> None:
        message: bytearray | None = None
        try:
            while True:
                fin, opcode, payload = await read_frame(self.reader)
                if opcode == 0x9:  # ping
                    await self.send(0xA, payload)
                elif opcode == 0xA:  # pong (we send no pings of our own)
                    continue
                elif opcode == 0x8:  # close
                    if len(payload) == 1:
                        raise ProtocolError("close frame with a 1-byte payload")
                    code = struct.unpack("!H", payload[:2])[0] if payload else 1005
                    try:
                        self.close_sent = True
                        await self.send(0x8, payload[:2])
                    except (OSError, RuntimeError):
                        pass
                    self.events.put_nowait(("closed", code))
                    return
                elif opcode in (0x1, 0x2):
                    if message is not None:
                        raise ProtocolError("new message inside a fragmented one")
                    message = bytearray(payload)
                elif opcode == 0x0:
                    if message is None:
                        raise ProtocolError("continuation frame without a message")
                    message += payload
                else:
                    raise ProtocolError(f"unknown opcode {opcode}")
                if opcode in (0x0, 0x1, 0x2):
                    if len(message) > MAX_MESSAGE:
                        raise ProtocolError("message too large")
                    if fin:
                        self.events.put_nowait(("data", bytes(message)))
                        message = None
        except asyncio.IncompleteReadError:
            self.events.put_nowait(("closed", 1006))
        except Exception as e:  # socket/TLS error or protocol violation
            self.events.put_nowait(("error", e))

    async def close(self) -> None:
        self._task.cancel()
        try:
            if not self.close_sent and not self.writer.is_closing():
                self.close_sent = True
                self.writer.write(encode_frame(0x8, struct.pack("!H", 1000)))
        except (OSError, RuntimeError):
            pass
        self.writer.close()
        try:
            await asyncio.wait_for(self.writer.wait_closed(), 1)
        except (asyncio.TimeoutError, OSError, ssl.SSLError):
            pass


async def ws_connect(ws: dict, ip: str) -> WsConnection:
    ctx = ssl.create_default_context() if ws["tls"] else None
    reader, writer = await asyncio.open_connection(
        ip, ws["port"], ssl=ctx, server_hostname=ws["host"] if ctx else None, limit=1 << 16
    )
    try:
        key = base64.b64encode(os.urandom(16))
        writer.write(
            f"GET {ws['target']} HTTP/1.1\r\nHost: {ws['host_header']}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key.decode()}\r\nSec-WebSocket-Version: 13\r\n"
            f"User-Agent: {USER_AGENT}\r\n\r\n".encode()
        )
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status_line, *lines = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or parts[1] != "101":
            raise HandshakeError(f"handshake answered {status_line!r}")
        headers = {}
        for line in lines:
            if ":" in line:
                k, v = line.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest()).decode()
        if headers.get("upgrade", "").lower() != "websocket":
            raise HandshakeError("handshake without Upgrade: websocket")
        if headers.get("sec-websocket-accept") != accept:
            raise HandshakeError("handshake with a wrong Sec-WebSocket-Accept")
    except BaseException:
        writer.close()
        raise
    return WsConnection(reader, writer)


# ---- legs ----------------------------------------------------------------------------------------------


async def ws_session(leg: str, cfg: dict, metrics: Metrics) -> tuple[str, bool]:
    """One connection's life: returns (reason it died, whether it came up)."""
    ws = cfg["ws"]

    async def dial() -> WsConnection:
        if leg == "internal":
            ip = cfg["pin_ip"]
        else:
            try:
                ip = str(ipaddress.ip_address(ws["host"]))
            except ValueError:
                ip = await asyncio.to_thread(doh_resolve, cfg["doh_url"], ws["host"], cfg["connect_timeout"])
        return await ws_connect(ws, ip)

    try:
        conn = await asyncio.wait_for(dial(), cfg["connect_timeout"])
    except asyncio.TimeoutError:
        return "connect_timeout", False
    except Exception as e:  # DNS, TCP, TLS, a refused or malformed handshake
        log.warning("%s: connect failed: %s", leg, e)
        return "connect_failed", False

    metrics.up(leg)
    log.info("%s: connected", leg)

    async def next_event(timeout: float):
        try:
            return await asyncio.wait_for(conn.events.get(), max(timeout, 0.001))
        except asyncio.TimeoutError:
            return None

    def death(event) -> str:
        if event[0] == "closed":
            return f"closed_{event[1]}"
        log.warning("%s: io error: %s", leg, event[1])
        return "io_error"

    try:
        while True:
            t0 = time.monotonic()
            await conn.send(0x1, f"ping {time.time_ns()}".encode())
            deadline = t0 + cfg["recv_timeout"]
            while True:  # wait for the reply
                event = await next_event(deadline - time.monotonic())
                if event is None:
                    return "rtt_timeout", True
                if event[0] == "data":
                    metrics.rtt[leg] = time.monotonic() - t0
                    break
                return death(event), True
            while True:  # idle until the next ping, still noticing a close
                remaining = t0 + cfg["ping_interval"] - time.monotonic()
                if remaining <= 0:
                    break
                event = await next_event(remaining)
                if event is None:
                    break
                if event[0] != "data":
                    return death(event), True
    except Exception as e:  # a failed send; a close frame that arrived first still names the death
        while not conn.events.empty():
            event = conn.events.get_nowait()
            if event[0] == "closed":
                return death(event), True
        log.warning("%s: io error: %s", leg, e)
        return "io_error", True
    finally:
        await conn.close()


async def ws_leg(leg: str, cfg: dict, metrics: Metrics) -> None:
    attempts = 0
    while True:
        reason, came_up = await ws_session(leg, cfg, metrics)
        metrics.down(leg, reason)
        attempts = 1 if came_up else attempts + 1
        delay = min(cfg["backoff_step"] * attempts, cfg["backoff_max"])
        log.info("%s: down (%s), retry in %.1fs", leg, reason, delay)
        await asyncio.sleep(delay)


async def t3serve_leg(cfg: dict, metrics: Metrics) -> None:
    leg = "t3serve"
    while True:
        t0 = time.monotonic()
        reason = None
        try:
            status, _ = await asyncio.wait_for(
                asyncio.to_thread(http_get, cfg["session_url"], cfg["session_timeout"]), cfg["session_timeout"]
            )
            if status == 200:
                metrics.rtt[leg] = time.monotonic() - t0
                metrics.up(leg)
            else:
                reason = f"http_{status}"
        except TimeoutError:  # asyncio.TimeoutError is TimeoutError since 3.11
            reason = "rtt_timeout"
        except urllib.error.URLError as e:
            log.warning("%s: %s", leg, e.reason)
            reason = "rtt_timeout" if isinstance(e.reason, TimeoutError) else "connect_failed"
        except Exception as e:  # refused, reset, malformed response
            log.warning("%s: %s", leg, e)
            reason = "connect_failed"
        if reason is not None:
            metrics.down(leg, reason)
        await asyncio.sleep(max(0.0, t0 + cfg["session_interval"] - time.monotonic()))


async def main_async(cfg: dict) -> None:
    metrics = Metrics(cfg["legs"])
    server = await serve_metrics(metrics, cfg["bind"], cfg["port"])
    log.info("metrics on %s:%s, legs %s", cfg["bind"], cfg["port"], ",".join(cfg["legs"]))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # Exit at once: a blocked HTTP check in a worker thread must not hold up shutdown (and PID 1 in
        # a container ignores signals that have no handler).
        loop.add_signal_handler(sig, lambda: (logging.shutdown(), os._exit(0)))
    tasks = [
        asyncio.create_task(t3serve_leg(cfg, metrics) if leg == "t3serve" else ws_leg(leg, cfg, metrics))
        for leg in cfg["legs"]
    ]
    async with server:
        await asyncio.gather(*tasks)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s t3-probe %(message)s", stream=sys.stderr)
    try:
        cfg = load_config()
    except ConfigError as e:
        print(f"t3-probe: {e}", file=sys.stderr)
        return 2
    try:
        asyncio.run(main_async(cfg))
    except OSError as e:  # e.g. the metrics port is taken
        print(f"t3-probe: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
