"""Writing a Decision into a response's header list: replace, merge Vary, expose."""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from .decision import Decision
from .protocol import ACEH

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


def apply_headers(decision: Decision, headers: Headers) -> Headers:
    """Write ``decision`` into ``headers`` (a WSGI header list) in place and return it.

    Headers the decision sets replace the app's own of the same name (two
    Access-Control-Allow-Origin values fail in the browser); ``Vary`` is merged.
    """
    try:
        for name, _ in headers:
            if name[0] in "AaVv":  # an Access-Control-* or Vary header, perhaps: merge
                return _merge(decision, headers)
    except IndexError:  # an empty header name: the careful path keeps it as it is
        return _merge(decision, headers)
    if decision.expose_response_headers:
        return _merge(decision, headers)
    headers.extend(decision.extra)  # the common case: nothing to merge or replace
    return headers


def _merge(decision: Decision, headers: Headers) -> Headers:
    replaced = {name.lower() for name, _ in decision.headers}
    vary_values: list[str] = []
    kept: Headers = []
    for item in headers:
        lname = item[0].lower()
        if lname == "vary":
            vary_values.append(item[1])
        elif lname not in replaced:
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
    headers[:] = kept
    return headers
