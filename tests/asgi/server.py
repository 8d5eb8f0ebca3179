"""A real uvicorn server on 127.0.0.1 (ephemeral port) in a thread, started and stopped by the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serve(app: Any, *, ws: str = "auto", lifespan: str = "auto", root_path: str = "") -> Iterator[str]:
    """Serve ``app`` with uvicorn; yields ``host:port``. Bounded waits: a hang fails, it never blocks."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="critical", ws=ws, lifespan=lifespan, root_path=root_path
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        assert not thread.is_alive(), "uvicorn did not stop"
