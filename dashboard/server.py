"""The production server: waitress, one process, a pool of threads.

The dashboard keeps its data in its process (:class:`dashboard.data.CoalitionData`
reads the store once and caches what it computes), so it is served by one
process with threads, never by several worker processes, and never by
Flask's development server. :class:`Server` is what ``coalition dashboard``
and ``coalition demo`` run (through :func:`dashboard.app.run`); those who run
their own server use :mod:`dashboard.wsgi` instead.

What the server trusts: nothing a client says about where it is. waitress
drops the ``X-Forwarded-*`` and ``Forwarded`` headers unless a trusted proxy
is configured, and the dashboard needs none of them (every link it makes is
relative to the page).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

import waitress
from waitress import wasyncore
from waitress.server import BaseWSGIServer
from waitress.trigger import trigger

from dashboard.security.hardening import MAX_BODY_BYTES

__all__ = ["THREADS", "Server"]

log = logging.getLogger(__name__)

#: Threads answering requests. Callbacks are Python work under one GIL, so more
#: threads do not answer faster; enough let quick requests pass slow ones.
THREADS = 8
#: Seconds a stop waits for the requests being answered.
STOP_WAIT = 5.0
#: Seconds between two looks at whether a stop was asked for.
POLL = 0.2


class Server:
    """A WSGI application served by waitress on ``host:port`` (bound at once, not yet serving).

    Parameters
    ----------
    application : WSGI callable
        For the dashboard, the Dash app's Flask server (``app.server``).
    host : str
        Address to listen on.
    port : int
        Port to listen on; 0 picks a free one (see :attr:`server_port`).
    threads : int
        Threads answering requests.

    Notes
    -----
    The same interface as the standard library's and werkzeug's servers
    (:meth:`serve_forever`, :meth:`shutdown`, :meth:`server_close`,
    :attr:`server_port`), so a test can run it in a thread like them.
    Request bodies over :data:`~dashboard.security.hardening.MAX_BODY_BYTES`
    are refused by waitress (413) before they are buffered.
    """

    def __init__(
        self,
        application: Callable,
        host: str = "127.0.0.1",
        port: int = 8050,
        *,
        threads: int = THREADS,
    ):
        self._map: dict = {}
        self._waitress = waitress.create_server(
            application,
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            max_request_body_size=MAX_BODY_BYTES,
            # Forwarded headers are dropped (the default), and not logged.
            clear_untrusted_proxy_headers=True,
            ident="",
        )
        self._wake = trigger(self._map)
        self._stopping = False
        self._done = threading.Event()
        self._done.set()
        self.server_port = self._bound()[1]

    def _bound(self) -> tuple[str, int]:
        listening = getattr(self._waitress, "effective_listen", None)
        if listening:
            host, port = listening[0]
        else:
            host, port = self._waitress.effective_host, self._waitress.effective_port
        return str(host), int(port)

    @property
    def url(self) -> str:
        """``http://host:port``, without a trailing slash."""
        host, port = self._bound()
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` or :meth:`stop_soon`.

        A stop closes the listening sockets first, lets the requests being
        answered finish and their answers go out (for :data:`STOP_WAIT`
        seconds at most), then closes every connection.
        """
        self._done.clear()
        try:
            while self._map and not self._stopping:
                wasyncore.poll2(POLL, self._map)
            for dispatcher in list(self._map.values()):
                if isinstance(dispatcher, BaseWSGIServer):
                    # The listening socket only: answers still wake the loop through its trigger.
                    wasyncore.dispatcher.close(dispatcher)
            deadline = time.monotonic() + STOP_WAIT
            while self._map and _busy(self._map) and time.monotonic() < deadline:
                wasyncore.poll2(POLL / 10, self._map)
        finally:
            self._waitress.task_dispatcher.shutdown(timeout=STOP_WAIT)
            wasyncore.close_all(self._map, ignore_all=True)
            self._done.set()

    def stop_soon(self) -> None:
        """Ask :meth:`serve_forever` to return, without waiting (safe in a signal handler)."""
        self._stopping = True

    def shutdown(self) -> None:
        """Stop serving (from another thread) and wait until :meth:`serve_forever` returns."""
        self._stopping = True
        if not self._done.is_set():
            self._wake.pull_trigger()
        self._done.wait(3 * STOP_WAIT)

    def server_close(self) -> None:
        """Release the sockets (if :meth:`serve_forever` never ran)."""
        wasyncore.close_all(self._map, ignore_all=True)

    def serve_until_signalled(self) -> None:
        """:meth:`serve_forever` until SIGINT or SIGTERM, which stop it cleanly.

        The signals are caught in the main thread only (where Python runs
        signal handlers; the previous handlers are put back afterwards);
        elsewhere this is :meth:`serve_forever`.
        """
        if threading.current_thread() is not threading.main_thread():
            self.serve_forever()
            return
        signals = [signal.SIGINT, signal.SIGTERM]
        previous = {s: signal.getsignal(s) for s in signals}

        def stop(signum, frame):
            self.stop_soon()

        for s in signals:
            signal.signal(s, stop)
        try:
            self.serve_forever()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)


def _busy(socket_map: dict) -> bool:
    """Whether a connection still has a request being answered or an answer to send."""
    return any(
        getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0)
        for channel in socket_map.values()
    )
