"""A loopback TCP server that answers with raw bytes, or not at all: hostile servers on purpose."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Behaviour", "RawServer", "refused_port"]

Behaviour = Callable[[socket.socket, threading.Event], None]


class RawServer:
    """Accepts on 127.0.0.1 (ephemeral port) and hands each connection to ``behaviour``; ``stop()`` ends all."""

    def __init__(self, behaviour: Behaviour, read_first: bool = True) -> None:
        self.behaviour = behaviour
        self.read_first = read_first  # False: answer at once (a TLS client speaks first and waits)
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port: int = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.accepter = threading.Thread(target=self._accept, name=f"raw-{self.port}", daemon=True)
        self.accepter.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self.read_first:
                try:
                    conn.recv(65536)  # the request (one read is enough for the doctor's small requests)
                except OSError:
                    return
            self.behaviour(conn, self.stopping)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self) -> None:
        self.stopping.set()
        self.accepter.join(timeout=5)
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=5)


@contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so no other test takes it) but not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()
