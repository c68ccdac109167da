"""The production server (``dashboard.server.Server``) on a plain WSGI app."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request

import pytest

from benchmarks.serving import in_thread
from dashboard.server import Server

#: Set when a request has reached the app.
STARTED = threading.Event()


def echo(environ, start_response):
    """Sleeps ``?sleep=S`` seconds, then answers the forwarded headers it was given."""
    STARTED.set()
    sleep = float(environ.get("QUERY_STRING", "").partition("sleep=")[2] or 0)
    time.sleep(sleep)
    seen = [k for k in environ if k.startswith("HTTP_X_FORWARDED") or k == "HTTP_FORWARDED"]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [(",".join(sorted(seen)) or "none").encode()]


def get(url: str, headers: dict | None = None):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30)


def test_forwarded_headers_are_dropped_and_the_server_is_not_named():
    with in_thread(Server(echo, "127.0.0.1", 0)) as url:
        forged = {
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "evil.example",
            "Forwarded": "for=203.0.113.9;proto=https",
        }
        with get(url + "/", forged) as answer:
            assert answer.read() == b"none"
            assert answer.headers["Server"] is None


def test_a_stop_lets_the_request_being_answered_finish():
    server = Server(echo, "127.0.0.1", 0)
    answers = []
    STARTED.clear()
    with in_thread(server) as url:
        asking = threading.Thread(target=lambda: answers.append(get(url + "/?sleep=1").read()))
        asking.start()
        assert STARTED.wait(30)  # the request is being answered when the stop comes
    asking.join(10)
    assert answers == [b"none"]
    with pytest.raises(urllib.error.URLError):
        get(url + "/")


def test_a_stop_before_serving_does_not_hang():
    server = Server(echo, "127.0.0.1", 0)
    server.shutdown()
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    serving.join(5)
    assert not serving.is_alive()
