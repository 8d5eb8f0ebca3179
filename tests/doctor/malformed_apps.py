"""WSGI apps that answer against PEP 3333, for ``--app`` (``tests.doctor.malformed_apps:superscript_status``...)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["APPS"]

App = Callable[[dict[str, Any], Any], Iterable[bytes]]


def _answer(status: Any, headers: Any, body: Iterable[Any] = (b"ok",)) -> App:
    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response(status, headers)
        return list(body)

    return app


def _no_start_response(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    return [b"ok"]


def never_answers(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Hangs (its daemon thread is left behind when the doctor gives up)."""
    threading.Event().wait()
    return []


ACAO = ("Access-Control-Allow-Origin", "*")
#: name -> (app, what the doctor must say)
APPS: dict[str, tuple[App, str]] = {
    "superscript_status": (_answer("2\u00b20 OK", [ACAO]), "the app's status '2\u00b20 OK' is not 'NNN reason'"),
    "arabic_indic_status": (_answer("\u0662\u0660\u0660 OK", [ACAO]), "is not 'NNN reason'"),
    "status_without_reason": (_answer("200", [ACAO]), "the app's status '200' is not 'NNN reason'"),
    "status_below_100": (_answer("099 Odd", [ACAO]), "is not 'NNN reason'"),
    "bytes_status": (_answer(b"200 OK", [ACAO]), "gave the status b'200 OK', not a str"),
    "bytes_header_name": (_answer("200 OK", [(b"Access-Control-Allow-Origin", "*")]), "is not a (str, str) pair"),
    "bytes_header_value": (_answer("200 OK", [("Access-Control-Allow-Origin", b"*")]), "is not a (str, str) pair"),
    "header_triple": (_answer("200 OK", [("A", "b", "c")]), "is not a (str, str) pair"),
    "headers_dict": (_answer("200 OK", {"Access-Control-Allow-Origin": "*"}), "headers are a dict, not a list"),
    "header_name_with_space": (_answer("200 OK", [("Bad Name", "x"), ACAO]), "cannot be sent"),
    "header_value_with_newline": (_answer("200 OK", [("X-A", "a\r\nInjected: 1"), ACAO]), "cannot be sent"),
    "no_start_response": (_no_start_response, "the app did not call start_response"),
}

for _name, (_app, _) in APPS.items():
    globals()[_name] = _app
