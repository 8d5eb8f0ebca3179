"""Writing a Decision into a response's header list: a new list, the policy's CORS headers, Vary merged."""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from .decision import Decision
from .protocol import ACEH, is_cors_response_header

__all__ = ["apply_headers", "exposed_names", "merge_vary"]

Headers = list[tuple[str, str]]
_name = itemgetter(0)


def merge_vary(values: Iterable[str], names: Iterable[str]) -> str | None:
    """The merged Vary value, or None if ``values`` already hold ``*`` or every name.

    Case-insensitive and without duplicates; the existing order is kept and new
    names are appended (pitfalls #34: never replace the app's Vary).
    """
    seen: dict[str, str] = {}
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if item == "*":
                return None
            if item:
                seen.setdefault(item.lower(), item)
    missing = [name for name in names if name.lower() not in seen]
    if not missing:
        return None
    return ", ".join([*seen.values(), *missing])


def exposed_names(names: Iterable[str]) -> str | None:
    """Access-Control-Expose-Headers listing a response's own header names.

    Used for ``exposed_headers='*'`` with credentials, where a browser reads a
    literal ``*`` as a header name (Fetch, "CORS-unsafe response header names").
    """
    own = sorted({name.lower() for name in names if not name.lower().startswith("access-control-")})
    return ", ".join(own) if own else None


def apply_headers(decision: Decision, headers: Iterable[tuple[str, str]]) -> Headers:
    """A new WSGI header list: the app's ``headers`` with ``decision`` written in.

    ``headers`` is never modified (an app may reuse one list for every
    response). On a request the policy governs the CORS response headers are
    the policy's alone: the app's own ``Access-Control-Allow-*``,
    ``-Expose-Headers`` and ``-Max-Age`` are removed (two Access-Control-Allow-Origin
    values fail in the browser; one the policy did not give bypasses it), and
    ``Vary`` is merged.
    """
    if not decision.touches_response:
        return list(headers)
    if decision.expose_response_headers:
        return _merge(decision, headers)
    for name, _ in headers:
        # Only a name starting with A or V (Access-Control-*, Vary), or an
        # empty one, needs the careful path; the rest are passed on as they are.
        if name[:1] in "AaVv":
            return _merge(decision, headers)
    return [*headers, *decision.extra]


def _merge(decision: Decision, headers: Iterable[tuple[str, str]]) -> Headers:
    vary_values: list[str] = []
    kept: Headers = []
    for item in headers:
        lname = item[0].lower()
        if lname == "vary":
            vary_values.append(item[1])
        elif not is_cors_response_header(lname):
            kept.append(item)
    kept.extend(decision.headers)
    if decision.expose_response_headers:
        value = exposed_names(map(_name, kept))
        if value is not None:
            kept.append((ACEH, value))
    if vary_values or decision.vary:
        merged = merge_vary(vary_values, decision.vary)
        if merged is None:  # nothing to add: keep the app's Vary lines as they were
            kept.extend(("Vary", value) for value in vary_values)
        else:
            kept.append(("Vary", merged))
    return kept
