"""flask-cors's ``origins`` -> the core's: ``'*'``, literal origins, and regexes the core's guard accepts.

A regex keeps flask-cors's IGNORECASE but is full-matched (D3, announced with
an origin flask-cors let in, when there is one); a literal is normalised as the
core does (D4, announced when that changes what matches). A regex the guard
refuses, or one of the two patterns people write believing them wildcards,
becomes a :class:`CORSConfigError` with the look-alike and the fix.
"""

from __future__ import annotations

import re
from typing import Any

from wsgicors import CORSConfigError
from wsgicors.origins import ORIGIN_REGEX, normalize_origin
from wsgicors.regex_safety import guard_regex

from .names import Layered
from .notices import Notices
from .patterns import entries, is_any, probably_regex
from .regex_advice import advise, port_dropped, suffix_lookalike

__all__ = ["translate_origins"]

# 'https://*.example.com': a wildcard as other libraries write it, a broken regex to flask-cors.
_WILDCARD_LOOKALIKE = re.compile(r"([a-z][a-z0-9+.-]*)://\*\.([A-Za-z0-9.-]+(?::[0-9]+)?)")
# 'http://localhost:*': "any port" as people write it for flask-cors.
_ANY_PORT_LOOKALIKE = re.compile(r"([a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+):\*")


def translate_origins(layered: Layered, notices: Notices) -> list[Any]:
    label = layered.label("origins")
    value = layered["origins"]
    if value is None:
        return []
    items = entries(value)
    if any(is_any(item) for item in items):
        if not layered["send_wildcard"] or not layered.given("send_wildcard"):
            notices.add(
                "D1",
                label,
                "'*' is answered with 'Access-Control-Allow-Origin: *', not by echoing each Origin "
                "(flask-cors's send_wildcard=False); browsers allow the same requests, and no "
                "'Vary: Origin' is needed. Pass send_wildcard=True to say so and silence this warning",
            )
        return ["*"]
    result: list[Any] = []
    for item in items:
        if isinstance(item, str) and not probably_regex(item):
            _literal_origin(item, label, notices)
            result.append(item)
            continue
        pattern = _compile_origin(item, label)
        lookalike, with_port = suffix_lookalike(pattern), port_dropped(pattern)
        notices.add(
            "D3",
            label,
            f"regex {pattern.pattern!r} must match the whole Origin here; flask-cors's re.match matched "
            "its start only"
            + (f", and let {lookalike!r} in" if lookalike else "")
            + (f"; {with_port!r} no longer matches (add '(:[0-9]+)?' for any port)" if with_port else ""),
        )
        result.append(pattern)
    return result


def _literal_origin(item: str, label: str, notices: Notices) -> None:
    try:
        normal = normalize_origin(item)
    except CORSConfigError:
        return  # the core refuses it with its fix, named by build()
    if normal != item.casefold().removesuffix("/"):
        notices.add(
            "D4",
            label,
            f"{item!r} is matched as {normal!r}, the form browsers send (flask-cors compared it "
            "as written, so a default port never matched)",
        )


def _compile_origin(item: Any, label: str) -> re.Pattern[str]:
    if isinstance(item, re.Pattern):
        pattern: re.Pattern[str] = item
    elif isinstance(item, str):
        try:
            pattern = re.compile(item, re.IGNORECASE)  # as flask-cors compiles origin strings
        except re.error as exc:
            raise CORSConfigError(
                label, item, f"invalid regular expression ({exc})", "fix the pattern, or write the origin literally"
            ) from None
    else:
        raise CORSConfigError(
            label, item, "each origin must be a string or a compiled re.Pattern", "origins=['https://app.example.com']"
        )
    if not isinstance(pattern.pattern, str):
        raise CORSConfigError(label, pattern, "a bytes pattern cannot match an origin", "use a str pattern")
    wildcard = _WILDCARD_LOOKALIKE.fullmatch(pattern.pattern)
    if wildcard is not None:
        scheme, host = wildcard.group(1, 2)
        raise CORSConfigError(
            label,
            pattern.pattern,
            "flask-cors reads this as a regex, not as a subdomain wildcard: '*' repeats the '/' before it "
            "and each '.' is any character (flask-cors#206)",
            f'write r"{scheme}://([a-z0-9-]+\\.)+{re.escape(host)}" (flask_ext.compat), '
            f'or "{scheme}://*.{host}" (flask_ext)',
        )
    any_port = _ANY_PORT_LOOKALIKE.fullmatch(pattern.pattern)
    if any_port is not None:
        fixed = re.escape(any_port.group(1)) + "(:[0-9]+)?"
        raise CORSConfigError(
            label,
            pattern.pattern,
            "':*' is 'any number of colons' to a regex: flask-cors allowed every port only because "
            "it matched the start of the Origin, and the whole Origin must match here",
            f'write r"{fixed}" (flask_ext.compat), or "~{fixed}" (flask_ext)',
        )
    try:
        guard_regex(pattern, label, ORIGIN_REGEX)  # the core's one guard for every user regex
    except CORSConfigError as exc:
        raise CORSConfigError(label, pattern.pattern, exc.problem, advise(pattern, exc.problem).text()) from None
    return pattern
