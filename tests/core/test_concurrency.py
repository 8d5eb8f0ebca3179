"""One middleware instance, many threads: each response carries exactly its own origin.

The app echoes the Origin it saw in a header and in its body and yields the GIL
between start_response and the body, so requests interleave inside the
middleware. A tiny switch interval makes the interleaving dense.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from .wsgi import Response, call, environ_for, wrap

THREADS = 16
REQUESTS_PER_THREAD = 150
LISTED = [f"https://app{i}.example.net" for i in range(40)]
SUBDOMAINS = [f"https://tenant{i}.example.com" for i in range(40)]
DENIED = [f"https://evil{i}.example.org" for i in range(20)] + ["https://example.com", "null"]


def echo_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    origin = environ.get("HTTP_ORIGIN", "")
    start_response(
        "200 OK",
        [("Content-Type", "text/plain"), ("X-Seen-Origin", origin)],
    )

    def body() -> Iterator[bytes]:
        for _ in range(3):
            threading.Event().wait(0)  # let other threads run mid-response
            yield origin.encode("latin-1")

    return body()


@pytest.mark.parametrize("credentials", [False, True])
def test_concurrent_requests_each_get_their_own_origin(dense_switching: None, credentials: bool) -> None:
    app = wrap(
        echo_app,
        origins=[*LISTED, "https://*.example.com"],
        credentials=credentials,
        exposed_headers="*",
        methods=["GET", "PUT"],
        headers=["X-Token"],
    )
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> list[str]:
        rng = random.Random(seed)
        problems: list[str] = []
        start.wait(timeout=30)
        for _ in range(REQUESTS_PER_THREAD):
            origin = rng.choice(rng.choice([LISTED, SUBDOMAINS, DENIED]))
            preflight = rng.random() < 0.3
            if preflight:
                environ = environ_for("OPTIONS", "/", origin=origin, access_control_request_method="PUT")
            else:
                environ = environ_for("GET", "/", origin=origin)
            response = call(app, environ)
            problems.extend(check(origin, preflight, credentials, response))
        return problems

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(worker, seed) for seed in range(THREADS)]
        problems = [problem for future in futures for problem in future.result(timeout=120)]
    assert problems == []


def check(origin: str, preflight: bool, credentials: bool, response: Response) -> list[str]:
    allowed = origin not in DENIED
    acao = response.all("Access-Control-Allow-Origin")
    problems = []
    if preflight:
        if response.body != b"" or response.get("X-Seen-Origin") is not None:
            problems.append(f"preflight from {origin} reached the app")
    else:
        if response.body != origin.encode() * 3 or response.get("X-Seen-Origin") != origin:
            problems.append(f"{origin} got another request's body or headers: {response}")
    if allowed:
        if acao != [origin]:
            problems.append(f"{origin}: Access-Control-Allow-Origin {acao}")
        credentials_header = response.all("Access-Control-Allow-Credentials")
        if credentials_header != (["true"] if credentials else []):
            problems.append(f"{origin}: Access-Control-Allow-Credentials {credentials_header}")
        expose = response.all("Access-Control-Expose-Headers")
        if not preflight and expose != (["content-type, x-seen-origin"] if credentials else ["*"]):
            problems.append(f"{origin}: Access-Control-Expose-Headers {expose}")
    elif response.cors():
        problems.append(f"denied {origin} got {response.cors()}")
    if response.all("Vary") != ["Origin"]:
        problems.append(f"{origin}: Vary {response.all('Vary')}")
    return problems
