"""``cors-doctor`` / ``python -m wsgicors.doctor``: options in, one report out, an exit status.

Exit status: 0 allowed, 1 blocked, 2 usage error, 3 transport error, 4 allowed
but ``--audit`` found a hostile origin the server lets read.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from .._version import DISTRIBUTION, __version__, banner
from ..clash import warn_if_clashing
from .audit import audit
from .flow import diagnose
from .outcome import Outcome
from .report_human import render
from .report_json import to_json
from .request import PageRequest, UsageError, normalise_method, parse_origin, parse_url, split_author_headers
from .transport import NetworkTransport, Transport
from .wsgi import WsgiTransport, load_app

__all__ = ["EXIT_ALLOWED", "EXIT_AUDIT", "EXIT_BLOCKED", "EXIT_TRANSPORT", "EXIT_USAGE", "build_parser", "main"]

EXIT_ALLOWED, EXIT_BLOCKED, EXIT_USAGE, EXIT_TRANSPORT, EXIT_AUDIT = 0, 1, 2, 3, 4

_EPILOG = """exit status: 0 allowed, 1 blocked, 2 usage error, 3 transport error (no HTTP answer),
4 allowed but --audit found a hostile origin the server lets read.
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
    parser.add_argument("--app", metavar="MODULE:ATTR", help="call this WSGI app in-process instead of the network")
    parser.add_argument("--audit", action="store_true", help="also try hostile origins; report those allowed")
    parser.add_argument("--version", action="version", version=f"{DISTRIBUTION} {__version__}")
    parser.add_argument("--json", action="store_true", help="one JSON document (schema version 1) on stdout")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request, all of it (default 10)")
    return parser


def _request(args: argparse.Namespace) -> PageRequest:
    if not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
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


def _exit_status(outcome: Outcome) -> int:
    if outcome.verdict == "error":
        return EXIT_TRANSPORT
    if outcome.verdict == "blocked":
        return EXIT_BLOCKED
    if outcome.audit is not None and any(entry.allowed for entry in outcome.audit):
        return EXIT_AUDIT
    return EXIT_ALLOWED


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
        request = _request(args)
        transport: Transport = (
            WsgiTransport(load_app(args.app), args.timeout) if args.app else NetworkTransport(args.timeout)
        )
    except UsageError as exc:
        sys.stderr.write(f"cors-doctor: {exc}\n")
        return EXIT_USAGE
    outcome = diagnose(request, transport)
    if args.audit:
        outcome.audit = audit(request, transport)
    sys.stdout.write(to_json(outcome) + "\n" if args.json else render(outcome, _colour(sys.stdout)))
    sys.stdout.flush()
    return _exit_status(outcome)
