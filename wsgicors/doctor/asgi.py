"""The in-process transport for an ASGI app: driven as uvicorn drives it, standard library only.

One event loop, in a daemon thread, serves every request of the run; the
``lifespan`` protocol runs first when the app speaks it (``auto``, as uvicorn).
A request gets an ``http`` scope (ASGI 3.0, spec 2.4), its body in one
``http.request``, and ``http.disconnect`` once the answer is complete; the body
is kept up to ``MAX_BODY``. An app that raises (or returns) before
``http.response.start`` gets what uvicorn sends, its own 500; one that never
answers runs into ``--timeout`` / ``--deadline``. Which apps are ASGI, the scope
and the message checks: ``asgi_protocol``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine, MutableMapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .asgi_protocol import (
    AsgiApp,
    Lifespan,
    Message,
    invalid,
    is_asgi,
    make_scope,
    quiet,
    response_headers,
    response_status,
    run_app,
)
from .checks import Response
from .engine_log import capture_engine_log
from .request import Url
from .transport import MAX_BODY, TransportError

if TYPE_CHECKING:
    from .deadline import Deadline

__all__ = ["AsgiTransport", "is_asgi", "make_scope"]

_SERVER_ERROR = b"Internal Server Error"  # uvicorn's own 500
_SERVER_ERROR_HEADERS = [("content-type", "text/plain; charset=utf-8"), ("content-length", str(len(_SERVER_ERROR)))]


class _Exchange:
    """One request: the ``receive`` and ``send`` callables, and what the app sent."""

    def __init__(self, body: bytes | None) -> None:
        self.body_in = body or b""
        self.requested = False
        self.status: int | None = None
        self.reason = ""
        self.headers: list[tuple[str, str]] = []
        self.body = b""
        self.whole = False  # the answer is whole, or the body cap is reached
        self.complete = asyncio.Event()  # whole, or malformed, or the app is done with the client
        self.error: TransportError | None = None

    async def receive(self) -> Message:
        if not self.requested:
            self.requested = True
            return {"type": "http.request", "body": self.body_in, "more_body": False}
        await self.complete.wait()  # the client stays until the answer is read, then goes
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.complete.is_set():
            # The client has gone: an app that keeps sending learns it (Starlette's streams stop on
            # OSError), rather than spin on the doctor's only event loop.
            raise OSError("the client has gone: the answer was complete, or the body cap was reached")
        kind = message.get("type") if isinstance(message, MutableMapping) else None
        try:
            if kind == "http.response.start" and self.status is None:
                self.status, self.headers = (
                    response_status(message.get("status")),
                    response_headers(message.get("headers", [])),
                )
            elif kind == "http.response.body" and self.status is not None:
                chunk = message.get("body", b"")
                if not isinstance(chunk, bytes):
                    raise invalid(f"sent a body of {type(chunk).__name__}, not bytes")
                self.body += chunk[: MAX_BODY - len(self.body)]
                if not message.get("more_body", False) or len(self.body) >= MAX_BODY:
                    self.whole = True
                    self.complete.set()
            else:
                raise invalid(f"sent {kind!r:.80} out of turn (after {'start' if self.status else 'nothing'})")
        except TransportError as exc:
            self.error = exc
            self.complete.set()
            raise


class AsgiTransport:
    """Calls an ASGI ``app`` in-process for every request, on one event loop in a daemon thread."""

    def __init__(self, app: AsgiApp, timeout: float = 10.0, deadline: Deadline | None = None) -> None:
        self.app = app
        self.timeout = timeout
        self.deadline = deadline
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="cors-doctor-asgi", daemon=True)
        self.thread.start()
        self.state: dict[str, Any] = {}
        self.lifespan: Lifespan | None = None
        self.unstartable: TransportError | None = None  # the lifespan startup failed: every request fails so

    def _run(self, coroutine: Coroutine[Any, Any, Any], seconds: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(seconds)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        seconds, by_deadline = (
            self.deadline.window(self.timeout, method, url, headers) if self.deadline else (self.timeout, False)
        )
        if self.lifespan is None:
            self._start(seconds)
            if self.unstartable is not None and by_deadline and self.deadline is not None:
                raise self.deadline.exceeded(method, url, headers)
        if self.unstartable is not None:
            raise self.unstartable
        try:
            with capture_engine_log(every_thread=True) as engine:  # one request at a time
                response: Response = self._run(self._call(make_scope(method, url, headers, body), body), seconds)
                response.engine = list(engine)
            return response
        except concurrent.futures.TimeoutError:
            if by_deadline and self.deadline is not None:
                raise self.deadline.exceeded(method, url, headers) from None
            raise TransportError("ERR_TIMED_OUT", f"the app did not answer within {self.timeout:g} s") from None

    def _start(self, seconds: float) -> None:
        """The lifespan startup, before the first request (within that request's time)."""
        self.lifespan = Lifespan(self.app, self.state)
        try:
            self._run(self.lifespan.startup(), seconds)
        except concurrent.futures.TimeoutError:
            self.unstartable = TransportError(
                "ERR_TIMED_OUT", f"the app's lifespan startup did not finish within {seconds:g} s"
            )
        except TransportError as exc:
            self.unstartable = exc

    async def _call(self, scope: dict[str, Any], body: bytes | None) -> Response:
        if self.lifespan is not None and self.lifespan.supported:
            scope["state"] = dict(self.state)  # the lifespan state extension: a shallow copy per request
        exchange = _Exchange(body)
        task = asyncio.ensure_future(run_app(self.app, scope, exchange.receive, exchange.send))
        task.add_done_callback(quiet)
        waiter = asyncio.ensure_future(exchange.complete.wait())
        try:
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if not task.done():
                exchange.complete.set()  # what follows (background tasks) runs on, as under a server
        if exchange.error is not None:
            raise exchange.error
        raised = task.exception() if task.done() and not task.cancelled() else None
        if exchange.status is None:
            # uvicorn's answer to an app that raised, or returned, before http.response.start.
            what = f"raised {type(raised).__name__}: {raised}" if raised is not None else "returned without answering"
            note = f"the app {what}; the server answers its own 500"
            return Response(500, "Internal Server Error", list(_SERVER_ERROR_HEADERS), _SERVER_ERROR, [note])
        if not exchange.whole:
            why = f"raised {type(raised).__name__}: {raised}" if raised is not None else "returned"
            raise TransportError("ERR_CONNECTION_CLOSED", f"the app {why:.200} before the end of the body")
        notes = []
        if raised is not None and not isinstance(raised, OSError):  # OSError: the doctor had stopped listening
            notes.append(f"the app raised {type(raised).__name__}: {raised} after its answer (a server logs it)")
        try:
            reason = HTTPStatus(exchange.status).phrase  # what uvicorn (h11) writes on the status line
        except ValueError:
            reason = ""
        return Response(exchange.status, reason, exchange.headers, exchange.body, notes)

    def close(self, seconds: float = 2.0) -> None:
        """Send ``lifespan.shutdown`` (when the app took the startup) and stop the loop."""
        try:
            if self.lifespan is not None and self.lifespan.supported:
                self._run(self.lifespan.shutdown(), seconds)
        except (concurrent.futures.TimeoutError, TransportError):
            pass  # a shutdown that hangs or fails does not change the diagnosis
        finally:
            try:
                self._run(_cancel_the_rest(seconds), seconds + 1)
            except concurrent.futures.TimeoutError:
                pass  # an app that ignores cancellation: the daemon thread ends with the process
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(seconds)
            if not self.thread.is_alive():
                self.loop.close()


async def _cancel_the_rest(seconds: float) -> None:
    """Cancel what still runs (an app cut off by the timeout, background tasks) and let it unwind."""
    tasks = asyncio.all_tasks() - {asyncio.current_task()}
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=seconds)
