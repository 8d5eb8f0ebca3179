"""Helpers of the doctor's tests: a scripted transport, and the doctor's CLI with its output captured."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from typing import Any
from wsgiref.validate import validator

from wsgicors.doctor.checks import Response
from wsgicors.doctor.cli import main
from wsgicors.doctor.request import Url

__all__ = ["Scripted", "Sent", "answer", "run_cli", "run_cli_json", "validated"]


def answer(status: int, *headers: tuple[str, str], reason: str = "") -> Response:
    return Response(status, reason, list(headers))


@dataclass
class Sent:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes | None


@dataclass
class Scripted:
    """A transport answering from a table: ``"OPTIONS <url>"`` or ``"<url>"`` (any other method) -> Response,
    or a callable of the request; records what was sent."""

    answers: Mapping[str, Response | Callable[[Sent], Response]]
    sent: list[Sent] = field(default_factory=list)

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        one = Sent(method, url.serialise(), list(headers), body)
        self.sent.append(one)
        key = f"OPTIONS {one.url}" if method == "OPTIONS" else one.url
        found = self.answers.get(key)
        if found is None:
            return answer(404, ("Content-Type", "text/plain"), reason="Not Found")
        return found(one) if callable(found) else found


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def run_cli_json(argv: list[str]) -> tuple[int, dict[str, Any]]:
    code, out, _ = run_cli([*argv, "--json"])
    return code, json.loads(out)


def validated(door: str, app: Any) -> Any:
    """The WSGI door under wsgiref.validate; Flask and Django as they are (Flask answers a 204
    with a Content-Type, which the validator refuses: the framework's habit, not the door's)."""
    return validator(app) if door == "wsgi" else app
