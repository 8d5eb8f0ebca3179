"""Why a preflight answer failed after the origin check (status, redirect, methods, headers), from its values."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import fixes
from .catalogue import CATALOGUE
from .checks import parse_allow_list
from .door import option_fix, order_fix
from .layers import clip
from .request import is_token
from .scene import Explanation, Scene

__all__ = ["PREFLIGHT", "starlette_refusal"]

_NORMALISED = ("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT")
_SAFELISTED_NAMES = frozenset({"accept", "accept-language", "content-language", "content-type"})
_RESPONSE_HEADERS = ("access-control-allow-", "access-control-expose-", "access-control-max-age")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _requested(scene: Scene, name: str) -> list[str]:
    sent = {n.lower(): v for n, v in scene.step.request_headers}
    return [item for item in (sent.get(name) or "").split(",") if item]


def starlette_refusal(scene: Scene) -> Explanation:
    """Starlette's CORSMiddleware answered a preflight with its own 400 ('Disallowed CORS origin, method')."""
    assert scene.layer is not None
    refused = scene.layer.detail.removeprefix("Disallowed CORS ").split(", ")
    method = (_requested(scene, "access-control-request-method") or ["GET"])[0]
    parts, fix = [], []
    if "origin" in refused:
        parts.append(f"the origin {scene.origin} is not in allow_origins")
        fix.append(f'allow_origins=[..., "{scene.origin}"] (if it is trusted)')
    if "method" in refused:
        methods = parse_allow_list(scene.value("access-control-allow-methods")) or []
        parts.append(f"the method {method} is not in allow_methods (it allows {', '.join(methods) or 'none'})")
        fix.append(f"allow_methods={fixes.py_list([*methods, method])}")
    if "headers" in refused:
        allowed = [h for h in parse_allow_list(scene.value("access-control-allow-headers")) or []
                   if h.lower() not in _SAFELISTED_NAMES]  # fmt: skip
        allowed_lower = {h.lower() for h in allowed}
        missing = [h for h in _requested(scene, "access-control-request-headers") if h not in allowed_lower]
        parts.append(f"the headers {', '.join(missing)} are not in allow_headers")
        fix.append(f"allow_headers={fixes.py_list([*(h.lower() for h in allowed), *missing])}")
    why = f"Starlette's CORSMiddleware refused the preflight with its own 400 ('{scene.layer.detail}'): " + (
        "; ".join(parts) + ".")  # fmt: skip
    if "origin" not in refused:
        why += " It allowed the origin, so the answer carries Access-Control-Allow-Origin but not an ok status."
    return Explanation(why, "In CORSMiddleware(...): " + ", ".join(fix) + " (Starlette, FastAPI).")


def _invalid_status(scene: Scene) -> Explanation:
    status, layer = scene.response.status, scene.layer
    if layer is not None and layer.name == "starlette" and layer.detail:
        return starlette_refusal(scene)
    why = f"{_sentence(scene.where)} allows the origin but its status is not 200-299."
    layer_fix = fixes.answer_options(layer, scene.origin)
    if layer is not None and layer.name == "nginx" and layer.own_page:
        why += f" nginx answered OPTIONS with its own {status}: nothing in the location answers OPTIONS."
    elif status in (401, 403):
        why += " An authentication or authorisation layer refused it: a preflight never carries credentials."
    elif status in (404, 405):
        why += f" Nothing answers OPTIONS on {scene.path} (a router's {status})."
    fix = f"Answer the preflight with 204: {layer_fix}." if layer_fix else CATALOGUE["PreflightInvalidStatus"].fix
    return Explanation(why, fix, order_fix(scene.door, "the auth layer and the router"))


def _redirect(scene: Scene) -> Explanation:
    location = clip(scene.value("location") or "", 200)
    url = scene.step.url
    if url.startswith("http://") and location.startswith("https://"):
        what = "from http to https"
    elif location.rstrip("/").endswith(url.split("://", 1)[-1].split("?")[0]) and location.endswith("/"):
        what = "to the same path with a trailing slash"
    else:
        what = f"to {location}"
    why = f"{_sentence(scene.where)} redirects {what}: browsers never follow a redirect on a preflight."
    fix = f"Make the page call '{location}' directly" if location.startswith("http") else "Call the final URL directly"
    fix += ", and answer preflights before any redirecting layer."
    return Explanation(why, fix, order_fix(scene.door, "any redirecting middleware"))


def _method(scene: Scene) -> Explanation:
    method = scene.blocked.failure.hint
    listed = [clip(m, 40) for m in (parse_allow_list(scene.value("access-control-allow-methods")) or [])[:16]]
    other_case = [m for m in listed if m.lower() == method.lower() and m != method]
    shown = ", ".join(f"'{m}'" for m in listed) or "nothing (no Access-Control-Allow-Methods)"
    if other_case and method.upper() in _NORMALISED:
        why = (
            f"{_sentence(scene.where)} allows {shown}: the server sends '{other_case[0]}' in lower case, and method "
            f"names are case-sensitive; fetch() sends '{method}' (it upper-cases DELETE, GET, HEAD, OPTIONS, POST "
            "and PUT)."
        )
        values = [m.upper() if m.upper() in _NORMALISED else m for m in listed]
        fix = f"Send '{method}' in upper case in Access-Control-Allow-Methods"
    elif other_case:
        why = (
            f"{_sentence(scene.where)} allows {shown}; the page sends '{method}', which fetch() does not upper-case "
            f"(only DELETE, GET, HEAD, OPTIONS, POST and PUT are), and method names are case-sensitive."
        )
        values = [*listed, method]
        fix = f"Send '{method.upper()}' from the page (method: '{method.upper()}'), or list '{method}' exactly"
    elif "*" in listed:
        why = f"{_sentence(scene.where)} allows '*', which with credentials names a method literally called '*'."
        values = [m for m in listed if m != "*"] + [method]
        fix = f"List '{method}' by name in Access-Control-Allow-Methods"
    else:
        why = f"{_sentence(scene.where)} allows {shown}; {method} is not listed."
        values = [m.upper() if m.upper() in _NORMALISED else m for m in listed] + [method]
        fix = f"Add {method} to Access-Control-Allow-Methods"
        if values[:-1] != listed:
            fix += " (in upper case, as fetch() sends the standard methods)"
    layer_fix = fixes.allow_list(scene.layer, "methods", values)
    ours = option_fix(scene.door, [("methods", f"[..., '{method}']")], "(or methods='*', which echoes the method)")
    return Explanation(why, fix + (f": {layer_fix}." if layer_fix else "."), ours)


def _header(scene: Scene) -> Explanation:
    name = scene.blocked.failure.hint
    listed = [clip(h, 60) for h in (parse_allow_list(scene.value("access-control-allow-headers")) or [])[:16]]
    if name.startswith(_RESPONSE_HEADERS):
        why = f"The page sets '{name}' on its request: that is a response header, which the server sends."
        return Explanation(why, f"Remove '{name}' from the page's request headers (fix the client, not the server).")
    shown = ", ".join(f"'{h}'" for h in listed) or "no header (it sends no Access-Control-Allow-Headers)"
    why = f"The page sets a header that is not CORS-safelisted ({name}), and {scene.where} allows "
    if "*" in listed:
        why += "'*', which with credentials names a header literally called '*'."
    else:
        why += f"{shown}: {name} is not listed."
    values = [h for h in listed if h != "*"] + [name]
    layer_fix = fixes.allow_list(scene.layer, "headers", values)
    fix = f"Add {name} to Access-Control-Allow-Headers" + (f": {layer_fix}." if layer_fix else ".")
    note = "(or headers=None, the default, which echoes the requested headers)"
    return Explanation(why, fix, option_fix(scene.door, [("headers", f"[..., '{name}']")], note))


def _unparsable(kind: str) -> Callable[[Scene], Explanation]:
    name = f"access-control-allow-{kind}"

    def build(scene: Scene) -> Explanation:
        value = clip(scene.value(name) or "", 200)
        bad = [item.strip() for item in value.split(",") if item.strip() and not is_token(item.strip())]
        good = [part for part in re.split(r"[\s,;]+", value) if part and is_token(part)]
        title = "Access-Control-Allow-" + kind.capitalize()
        why = f"{_sentence(scene.where)} sends {title} '{value}': " + ", ".join(f"'{b}'" for b in bad) + (
            " is not a token; the value must be a comma-separated list.")  # fmt: skip
        return Explanation(why, f"Send {title}: {', '.join(good)}.")

    return build


PREFLIGHT: dict[str, Callable[[Scene], Explanation]] = {
    "PreflightInvalidStatus": _invalid_status,
    "PreflightDisallowedRedirect": _redirect,
    "MethodDisallowedByPreflightResponse": _method,
    "HeaderDisallowedByPreflightResponse": _header,
    "InvalidAllowMethodsPreflightResponse": _unparsable("methods"),
    "InvalidAllowHeadersPreflightResponse": _unparsable("headers"),
}
