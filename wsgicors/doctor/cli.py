"""``cors-doctor`` / ``python -m wsgicors.doctor``: options in, one report out, an exit status.

Exit status: 0 allowed, 1 blocked, 2 usage error, 3 transport error (also: the
``--deadline`` ran out), 4 allowed but ``--audit`` found a hostile origin the
server lets read, 5 internal error (a bug in the doctor: one line, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, TextIO, cast

from .._version import DISTRIBUTION, __version__, banner
from ..clash import warn_if_clashing
from .asgi import AsgiTransport, is_asgi
from .audit import audit
from .deadline import Deadline
from .flow import diagnose
from .outcome import Finding, Outcome
from .report_human import render
from .report_json import to_json
from .request import PageRequest, UsageError, normalise_method, parse_origin, parse_url, split_author_headers
from .transport import NetworkTransport, Transport
from .wsgi import WsgiTransport, load_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from .asgi_protocol import AsgiApp

__all__ = [
    "DEADLINE_FACTOR",
    "EXIT_ALLOWED",
    "EXIT_AUDIT",
    "EXIT_BLOCKED",
    "EXIT_INTERNAL",
    "EXIT_TRANSPORT",
    "EXIT_USAGE",
    "MAX_SECONDS",
    "build_parser",
    "main",
]

EXIT_ALLOWED, EXIT_BLOCKED, EXIT_USAGE, EXIT_TRANSPORT, EXIT_AUDIT, EXIT_INTERNAL = 0, 1, 2, 3, 4, 5
DEADLINE_FACTOR = 3  # --deadline defaults to this many --timeout
MAX_SECONDS = 86400

_EPILOG = """exit status: 0 allowed, 1 blocked, 2 usage error, 3 transport error (no HTTP answer, or
the --deadline ran out), 4 allowed but --audit found a hostile origin the server lets read,
5 internal error (a bug in the doctor; please report it).
example: cors-doctor https://api.example.com/items --origin https://app.example.com -X PUT \\
           -H 'Content-Type: application/json'"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cors-doctor",
        description="Send what Chromium would send for a page's fetch(), judge the answers as Chromium does, "
        "and say what fails, why, and how to fix it.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", metavar="URL", help="the resource the page fetches (http or https)")
    parser.add_argument("--origin", required=True, help="the page's origin: scheme://host[:port], or null")
    parser.add_argument("-X", "--method", default="GET", help="request method (default GET; normalised as fetch())")
    parser.add_argument(
        "-H", "--header", action="append", default=[], metavar="'NAME: VALUE'", help="a header the script sets"
    )
    parser.add_argument("--initiator", choices=("fetch", "xhr"), default="fetch", help="fetch() or XMLHttpRequest")
    parser.add_argument(
        "--credentials", choices=("omit", "same-origin", "include"), default="same-origin", help="credentials mode"
    )
    parser.add_argument("--cookie", help="the Cookie header to send (with --credentials include)")
    parser.add_argument("--data", help="a request body (a string: text/plain;charset=UTF-8 unless -H sets one)")
    parser.add_argument(
        "--app", metavar="MODULE:ATTR", help="call this WSGI or ASGI app in-process instead of the network"
    )
    parser.add_argument(
        "--app-interface",
        choices=("auto", "asgi", "wsgi"),
        default="auto",
        help="how to call --app (default auto: ASGI if it, or its __call__, is a coroutine function, or takes "
        "exactly three positional parameters (scope, receive, send); else WSGI)",
    )
    parser.add_argument("--audit", action="store_true", help="also try hostile origins; report those allowed")
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {__version__}")
    parser.add_argument("--json", action="store_true", help="one JSON document (schema version 1) on stdout")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request, all of it (default 10)")
    parser.add_argument(
        "--deadline",
        type=float,
        metavar="SECONDS",
        help=f"seconds for the whole run: every request, redirect and --audit origin (default {DEADLINE_FACTOR} x "
        "--timeout); the report names the step that ran out",
    )
    return parser


def _request(args: argparse.Namespace) -> PageRequest:
    for option, value in (("--timeout", args.timeout), ("--deadline", args.deadline)):
        if value is not None and not 0 < value <= MAX_SECONDS:  # NaN fails too; sockets refuse a huge timeout
            raise UsageError(f"{option} must be a number of seconds above 0, at most {MAX_SECONDS} (a day)")
    method = normalise_method(args.method)
    headers, warnings = split_author_headers(args.header)
    body = args.data.encode("utf-8") if args.data is not None else None
    if body is not None and method in ("GET", "HEAD"):
        raise UsageError(f"fetch() throws for a {method} with a body (TypeError): drop --data or use POST")
    if args.cookie is not None and args.credentials != "include":
        warnings.append("--cookie is sent only with --credentials include (or to a same-origin URL)")
    if args.cookie is not None and any(ch in args.cookie for ch in "\r\n\x00"):
        raise UsageError("--cookie holds CR, LF or NUL")
    return PageRequest(
        parse_url(args.url),
        parse_origin(args.origin),
        method,
        headers,
        body,
        args.credentials,
        args.cookie,
        args.initiator,
        warnings,
    )


def _exit_status(outcome: Outcome, audit_cut: bool) -> int:
    if outcome.verdict == "error":
        return EXIT_TRANSPORT
    if outcome.verdict == "blocked":
        return EXIT_BLOCKED
    if outcome.audit is not None and any(entry.allowed for entry in outcome.audit):
        return EXIT_AUDIT
    return EXIT_TRANSPORT if audit_cut else EXIT_ALLOWED


def _run_audit(outcome: Outcome, request: PageRequest, transport: Transport, deadline: Deadline) -> bool:
    """``--audit`` within what the deadline leaves; True if it ran out (the origins it cut are left out
    of the audit, and a finding names where it ran out and what was not audited)."""
    if deadline.expired:  # the diagnosis itself ran out: no time is left for the audit
        outcome.findings.append(
            Finding(
                "deadline-ran-out",
                "warning",
                f"--audit was not run: the --deadline of {deadline.seconds:g} s "
                "ran out during the request above (raise --deadline)",
            )
        )
        return True
    entries = audit(request, transport)
    if not deadline.expired:
        outcome.audit = entries
        return False
    cut = {expiry.page for expiry in deadline.expired}
    done = [entry for entry in entries if parse_origin(entry.origin).serialise() not in cut]
    not_audited = ", ".join(entry.origin for entry in entries if entry not in done)
    outcome.audit = done
    outcome.findings.append(
        Finding(
            "deadline-ran-out",
            "warning",
            f"the --deadline of {deadline.seconds:g} s ran out during --audit, "
            f"at {deadline.expired[0].describe()}; not audited: {not_audited} (raise --deadline, or lower "
            "--timeout for a server that never answers)",
        )
    )
    return True


def _colour(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def main(argv: list[str] | None = None) -> int:
    """Run the doctor; returns the exit status (see the module docstring)."""
    # Which wsgicors this is (the PyPI distribution 'wsgicors' shares the import name): on
    # stderr, so --json's stdout stays one document.
    sys.stderr.write(banner("cors-doctor") + "\n")
    warn_if_clashing()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help is 0, a bad option is 2
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _main(args)
    except KeyboardInterrupt:
        sys.stderr.write("cors-doctor: interrupted\n")
        return 130
    except Exception as exc:  # a bug, never a traceback that exits 1 ("blocked") and misleads a script
        detail = ascii(_one_line(str(exc)))[1:-1][:300]  # escaped: it may quote a hostile server's bytes
        sys.stderr.write(f"cors-doctor: internal error, please report it: {type(exc).__name__}: {detail}\n")
        return EXIT_INTERNAL


def _main(args: argparse.Namespace) -> int:
    try:
        request = _request(args)
        app = load_app(args.app) if args.app else None
    except UsageError as exc:
        sys.stderr.write(f"cors-doctor: {_one_line(str(exc))}\n")
        return EXIT_USAGE
    # Started once the app is loaded (a Django import is not the server's time): bounds every request.
    deadline = Deadline(args.deadline if args.deadline is not None else DEADLINE_FACTOR * args.timeout)
    transport = _transport(args, app, deadline)
    try:
        outcome = diagnose(request, transport)
        audit_cut = _run_audit(outcome, request, transport, deadline) if args.audit else False
    finally:
        if isinstance(transport, AsgiTransport):
            transport.close()  # lifespan.shutdown, as a server stopping
    report = to_json(outcome) + "\n" if args.json else render(outcome, _colour(sys.stdout))
    try:
        sys.stdout.write(report)
        sys.stdout.flush()
    except BrokenPipeError:  # `cors-doctor ... | head -3`: the reader has what it wanted; the status stands
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the flush at exit does not fail again
    return _exit_status(outcome, audit_cut)


def _transport(args: argparse.Namespace, app: object, deadline: Deadline) -> Transport:
    """The network, or the app in-process as ASGI or WSGI (``--app-interface``, else ``is_asgi``)."""
    if app is None:
        return NetworkTransport(args.timeout, None, deadline)
    asgi = args.app_interface == "asgi" or (args.app_interface == "auto" and is_asgi(app))
    if asgi:
        return AsgiTransport(cast("AsgiApp", app), args.timeout, deadline)
    return WsgiTransport(cast("WSGIApplication", app), args.timeout, deadline)


def _one_line(text: str) -> str:
    return " ".join(text.split())
