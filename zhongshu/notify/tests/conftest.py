"""Fixtures of the notify tests: two registered kinds, people, configured channels, a local webhook server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from zhongshu.notify import kinds
from zhongshu.org.choices import Role

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # a Monday


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch):
    """ "test.reminder" (e-mail by default) and "test.notice" (webhook by default), in a registry of their own."""
    monkeypatch.setattr(kinds, "_KINDS", {})
    kinds.register("test.reminder", "测试提醒", email=True, webhook=False)
    kinds.register("test.notice", "测试通知", email=False, webhook=True)


@pytest.fixture
def liaison(make_person, office):
    return make_person(Role.LIAISON, username="ll-test", name="赵联络", email="zhao@example.test", phone="13800138000")


@pytest.fixture
def other(make_person):
    return make_person(Role.LIAISON, username="ll-other", name="钱联络", email="qian@example.test")


@pytest.fixture
def director(make_person, office):
    return make_person(Role.DIRECTOR, unit=office, username="zhuren-t", name="周主任")


@pytest.fixture
def email_on(settings):
    """Outward e-mail configured (the test settings keep the locmem backend: mail.outbox)."""
    settings.EMAIL_HOST = "mail.example.test"
    return settings


@dataclass
class Hook:
    """What the local webhook server received, and what it answers next."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in turn; 200 once used up
    reply: bytes = b'{"errcode": 0, "errmsg": "ok"}'

    def payloads(self) -> list[Any]:
        return [json.loads(r["body"].decode("utf-8")) for r in self.requests]


@pytest.fixture
def hook():
    """A tiny HTTP server on 127.0.0.1 in a thread (never the internet)."""
    state = Hook()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  # http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                state.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state.reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/robot/send?access_token=t0k"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def webhook_on(settings, hook):
    settings.ZHONGSHU_WEBHOOK_URL = hook.url
    settings.ZHONGSHU_WEBHOOK_FORMAT = "generic"
    settings.ZHONGSHU_WEBHOOK_SECRET = ""
    return hook
