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
from wsgicors.compat_advice import port_dropped, regex_fix, regex_tokens, suffix_lookalike
from wsgicors.compat_fix import regex_literal
from wsgicors.origins import ORIGIN_REGEX, normalize_origin
from wsgicors.regex_safety import guard_regex

from .names import Layered
from .notices import Notices
from .patterns import entries, is_any, probably_regex

__all__ = ["translate_origins"]

# 'https://*.example.com': a wildcard as other libraries write it, a broken regex to flask-cors.
_WILDCARD_LOOKALIKE = re.compile(r"([a-z][a-z0-9+.-]*)://\*\.([A-Za-z0-9.-]+(?::[0-9]+)?)")
# 'http://localhost:*': "any port" as people write it for flask-cors.
_ANY_PORT_LOOKALIKE = re.compile(r"([a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+):\*")


# 'http://[::1]:8080': a bracketed IPv6 origin, a literal (flask-cors read its brackets as a character class).
_IPV6_ORIGIN = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\[[0-9A-Fa-f:.]+\](?::[0-9]+)?/?")


def translate_origins(layered: Layered, notices: Notices) -> list[Any]:
    label = layered.label("origins")
    value = layered["origins"]
    if value is None:
        return []
    items = entries(value)
    if any(is_any(item) for item in items):
        # '*' is answered with '*', not by echoing each Origin (send_wildcard=False): browsers
        # decide the same without credentials (and '*' with credentials is refused), so no notice.
        return ["*"]
    result: list[Any] = []
    for item in items:
        if isinstance(item, str) and (not probably_regex(item) or _IPV6_ORIGIN.fullmatch(item)):
            _literal_origin(item, layered, notices)
            result.append(item)
            continue
        pattern = _compile_origin(item, label)
        lookalike, with_port = suffix_lookalike(pattern), port_dropped(pattern)
        if lookalike or with_port:  # else re.match and a full match let the same origins in
            fixed = anchored(pattern.pattern + ("(:[0-9]+)?" if with_port else ""))
            notices.add(
                "D3",
                label,
                f"regex {pattern.pattern!r} must match the whole Origin here; flask-cors's re.match matched "
                "its start only"
                + (f", and let {lookalike!r} in" if lookalike else "")
                + (f"; {with_port!r} no longer matches" if with_port else "")
                + f". To say what you mean and silence this warning, write {regex_literal(fixed)}",
            )
        result.append(pattern)
    return result


def _literal_origin(item: str, layered: Layered, notices: Notices) -> None:
    try:
        normal = normalize_origin(item)
    except CORSConfigError:
        return  # the core refuses it with its fix, named by build()
    if normal != item.casefold().removesuffix("/"):
        notices.add(
            "D4",
            layered.label("origins"),
            f"{item!r} is matched as {normal!r}, the form browsers send (flask-cors compared it "
            f"as written, so a default port never matched); write {normal!r}",
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
            "write " + regex_literal(anchored(f"{scheme}://([a-z0-9-]+\\.)+{re.escape(host)}")),
        )
    any_port = _ANY_PORT_LOOKALIKE.fullmatch(pattern.pattern)
    if any_port is not None:
        fixed = re.escape(any_port.group(1)) + "(:[0-9]+)?$"
        raise CORSConfigError(
            label,
            pattern.pattern,
            "':*' is 'any number of colons' to a regex: flask-cors allowed every port only because "
            "it matched the start of the Origin, and the whole Origin must match here",
            "write " + regex_literal(fixed),
        )
    try:
        guard_regex(pattern, label, ORIGIN_REGEX)  # the core's one guard for every user regex
    except CORSConfigError as exc:
        seen, fix = regex_fix(pattern, exc, lambda regex: regex_literal(anchored(regex)))
        raise CORSConfigError(label, pattern.pattern, exc.problem + seen, fix) from None
    return pattern


def anchored(regex: str) -> str:
    """``regex`` ending in ``$``: flask-cors's ``re.match`` and a full match then agree (no D3)."""
    if regex.endswith("$") and not regex.endswith("\\$"):
        return regex
    return (f"(?:{regex})" if _top_level_or(regex) else regex) + "$"


def _top_level_or(regex: str) -> bool:
    """Does ``regex`` hold a ``|`` outside every group and character class?"""
    depth = 0
    for _, token, literal in regex_tokens(regex):
        if literal:
            continue
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif token == "|" and depth == 0:
            return True
    return False
