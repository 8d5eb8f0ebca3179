"""A Decision in ASGI's spelling: lower-case byte header names, latin-1 values.

Each decision is encoded once (:class:`Wire`) and kept in a bounded table keyed
by the decision itself (decisions are immutable and mostly shared), so a request
pays a dict lookup, not an encoding. :func:`merged_headers` is
:func:`wsgicors.headers.apply_headers`'s careful path over byte headers: the
app's own CORS response headers removed, Vary merged, the app's list untouched.
"""

from __future__ import annotations

from collections.abc import Iterable

from wsgicors import Decision, Policy, exposed_names, merge_vary
from wsgicors.memo import MEMO_SIZE
from wsgicors.protocol import is_cors_response_header

__all__ = ["ERROR_500", "RawHeaders", "Wire", "WireTable", "merged_headers"]

RawHeaders = list[tuple[bytes, bytes]]

_ACEH = b"access-control-expose-headers"
_VARY = b"vary"
_TEXT = b"text/plain; charset=utf-8"
#: The door's own 500 (a raising app on an allowed request): Starlette's and uvicorn's text.
ERROR_500 = b"Internal Server Error"


def _encode(headers: tuple[tuple[str, str], ...]) -> RawHeaders:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class Wire:
    """One decision's headers as ASGI bytes, encoded once."""

    __slots__ = ("decision", "extra", "headers", "start")

    #: ``decision.extra`` (its headers, then its Vary line).
    extra: RawHeaders
    #: ``decision.headers`` (without Vary).
    headers: RawHeaders
    #: The ``http.response.start`` fields of an answer given here (a preflight), else None.
    start: tuple[int, RawHeaders] | None

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        self.extra = _encode(decision.extra)
        self.headers = _encode(decision.headers)
        self.start = (decision.status, self.extra) if decision.status is not None else None

    def error_headers(self) -> RawHeaders:
        """The headers of the door's own 500, when the app raises before answering (built then: rare)."""
        base = [(b"content-type", _TEXT), (b"content-length", str(len(ERROR_500)).encode())]
        return merged_headers(self, base) if self.decision.touches_response else base


class WireTable:
    """Decision -> :class:`Wire`, bounded as the engine's memo is (a flood of built decisions stays bounded)."""

    __slots__ = ("table",)

    def __init__(self) -> None:
        self.table: dict[Decision, Wire] = {}

    def prefill(self, policies: Iterable[Policy]) -> None:
        """Encode the policies' ready answers now (start-up), up to half the table: a long origin
        list's other answers are encoded when first asked for."""
        table = self.table
        for policy in policies:
            answers = policy.answers
            fixed = (answers.no_origin, answers.denied, answers.denied_preflight, answers.any_actual)
            ready = [*fixed, *answers.actual_by_origin.values(), *answers.preflight_by_origin.values()]
            for decision in ready:
                if len(table) >= MEMO_SIZE // 2:
                    return
                if decision is not None and decision not in table:
                    table[decision] = Wire(decision)

    def __call__(self, decision: Decision) -> Wire:
        wire = self.table.get(decision)
        if wire is None:
            table = self.table
            if len(table) >= MEMO_SIZE:
                table.clear()
            wire = table[decision] = Wire(decision)
        return wire


def merged_headers(wire: Wire, headers: Iterable[tuple[bytes, bytes]]) -> RawHeaders:
    """A new header list: the app's ``headers`` less its CORS response headers, the decision's
    headers, Access-Control-Expose-Headers from the response's own names when the decision
    asks for it, and one merged Vary (the app's Vary lines kept as they were when nothing is added)."""
    decision = wire.decision
    vary_lines: RawHeaders = []
    kept: RawHeaders = []
    for item in headers:
        lname = item[0].lower()
        if lname == _VARY:
            vary_lines.append(item)
        elif not (lname[:15] == b"access-control-" and is_cors_response_header(lname.decode("latin-1"))):
            kept.append(item)
    kept.extend(wire.headers)
    if decision.expose_response_headers:
        value = exposed_names(name.decode("latin-1") for name, _ in kept)
        if value is not None:
            kept.append((_ACEH, value.encode("latin-1")))
    if vary_lines or decision.vary:
        merged = merge_vary((value.decode("latin-1") for _, value in vary_lines), decision.vary)
        if merged is None:
            kept.extend(vary_lines)
        else:
            kept.append((_VARY, merged.encode("latin-1")))
    return kept
