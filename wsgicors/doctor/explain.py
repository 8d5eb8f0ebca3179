"""Why it failed and how to fix it, built from the request and the answers at hand.

The catalogue's texts are the fallback; every value quoted here is one the server
sent or the page asked for, and the fix is given in the vocabulary of the layer
that answered (layers.py, fixes.py) and, for this library's users, of their door
(door.py). The access-check errors are here; the preflight-only ones in
explain_preflight.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fixes
from .catalogue import CATALOGUE
from .checks import header
from .door import option_fix, order_fix
from .explain_preflight import PREFLIGHT, starlette_refusal
from .layers import clip
from .scene import Explanation, Scene, scene_of
from .scene import join as _join
from .scene import sentence as _sentence

if TYPE_CHECKING:
    from .outcome import Outcome

__all__ = ["Explanation", "explain"]

_STATUS_CAUSE = {
    401: "an authentication layer refused it (a preflight never carries cookies or Authorization)",
    403: "an authorisation layer or a WAF refused it",
    405: "the router refuses this method before any CORS layer sees it",
}


def _own_error(scene: Scene) -> str | None:
    """Why a layer's own error answer carries no CORS header, if the layer is known."""
    layer, status = scene.layer, scene.response.status
    if layer is None or not layer.own_page:
        return None
    if layer.name == "nginx":
        return f"nginx made this {status} itself, and add_header without 'always' skips error answers."
    if layer.name == "apache":
        return f"Apache made this {status} itself, and Header set (without 'always') skips error answers."
    if layer.name in ("express", "fastify") and layer.detail and status >= 500:
        return (
            f"The error '{layer.detail}' reached {layer.label}'s error handler, which answers {status} without "
            "CORS headers."
        )
    if layer.name == "express" and layer.own_page == "automatic OPTIONS answer":
        return (
            "Express answered the OPTIONS itself (its automatic answer: Allow lists the route's methods): no "
            "handler for OPTIONS ran, so cors() applied per route never saw the preflight."
        )
    if layer.name == "express":
        return f"Express answered {status} itself: no route matches {scene.step.method} {scene.path}."
    if layer.own_page == "automatic OPTIONS answer":
        return (
            f"{_sentence(layer.label)} answered the OPTIONS itself (its automatic answer: Allow lists the route's "
            "methods): no CORS layer handled the preflight."
        )
    return None


def _missing_origin(scene: Scene) -> Explanation:
    status, layer, origin = scene.response.status, scene.layer, scene.origin
    head = f"{_sentence(scene.where)} carries no Access-Control-Allow-Origin header."
    vary = {item.strip().lower() for item in (scene.value("vary") or "").split(",")}
    own = _own_error(scene)
    ours = option_fix(scene.door, [("origins", f"['{origin}']")], "if that origin is trusted", call=True)
    if layer is not None and layer.name == "starlette" and layer.detail:
        return starlette_refusal(scene)
    if layer is not None and layer.name == "wsgicors":
        said = clip("; ".join(message.split(" (origin ")[0] for message in scene.response.engine), 300)
        why = head.removesuffix(".") + f": wsgicors does not allow the origin '{origin}' (its engine: {said})."
        return Explanation(why, f"Allow '{origin}' if it is trusted.", ours)
    if own is not None and layer is not None:
        if layer.name in ("express", "fastify") and layer.detail and status >= 500:
            cb = "callback" if layer.name == "express" else "cb"
            fix = (
                f"Deny an origin with {cb}(null, false) in the origin function, not {cb}(new Error(...)): the "
                "answer then goes out without Access-Control-Allow-Origin and the page sees the refusal, not a "
                f"{status}."
            )
            return Explanation(_join(head, own), fix, ours)
        if layer.name == "express" and scene.step.kind == "preflight":
            return Explanation(_join(head, own), f"Answer preflights with cors: {fixes.answer_options(layer, origin)}.")
        if layer.own_page == "automatic OPTIONS answer":
            fix = "Put a CORS layer in front of the routes, allowing this origin: it must answer the preflight."
            return Explanation(_join(head, own), fix, ours)
        pages = fixes.error_pages(layer)
        if pages is not None:
            cause = {404: f"nothing exists at {scene.path}", 502: "the backend behind proxy_pass does not answer",
                     504: "the backend behind proxy_pass timed out"}.get(status, "the error")  # fmt: skip
            fix = f"{pages[0].upper()}{pages[1:]}; and fix the {status} itself ({cause})."
            return Explanation(_join(head, own), fix, ours)
    if status in _STATUS_CAUSE:
        why = _join(head, f"The {status} means {_STATUS_CAUSE[status]}; it was answered before the CORS layer.")
        fix = (
            "Let the CORS layer answer OPTIONS before authentication, routing or a WAF run, and allow the origin "
            "there." if scene.step.kind == "preflight" else f"Fix the {status}, and have the CORS layer add its "
            "headers to error answers too."
        )  # fmt: skip
        return Explanation(why, fix, order_fix(scene.door, "the auth layer and the router"))
    if status >= 400:
        why = _join(head, "Error answers often come from a layer the CORS headers are not added to (an error "
                    "handler, a proxy, a crash).")  # fmt: skip
        fix = f"Fix the {status}, and have the CORS layer add its headers to error answers too."
        return Explanation(why, fix, order_fix(scene.door, "the auth layer and the router"))
    if scene.step.kind == "redirect":
        why = _join(head, "The browser checks every hop of a cross-origin request: a redirect needs the CORS "
                    "headers too.")  # fmt: skip
        fix = "Add the CORS headers to the redirect answer, or make the page call the final URL directly."
        return Explanation(why, fix, ours)
    allowed_before = any(
        s is not scene.step and s.response is not None and header(s.response, "access-control-allow-origin")
        for s in scene.outcome.steps
    )
    if allowed_before:
        why = _join(head, "The preflight allowed the origin, the actual answer has no CORS headers: they are added "
                    "to OPTIONS answers only.")  # fmt: skip
        extra = " (in nginx, an add_header inside 'if' or in a location replaces the inherited ones)"
        return Explanation(why, "Add the CORS headers to every answer of the route" + extra + ".", ours)
    layer_fix = fixes.allow_origin(layer, [origin])
    fix = (
        f"If '{origin}' is trusted, allow it: {layer_fix}." if layer_fix else CATALOGUE["MissingAllowOriginHeader"].fix
    )
    if vary & {"origin", "*"}:
        why = _join(head, f"It varies on Origin, so a CORS layer looked at '{origin}' and did not allow it.")
    else:
        why = _join(head, "The CORS policy does not allow this origin, or nothing adds CORS headers on this route.")
        inherited = fixes.inherited_headers(layer)
        if inherited is not None:
            why = _join(why, inherited[0])
            fix = _join(inherited[1], fix)
    return Explanation(why, fix, ours)


def _tainted(scene: Scene) -> Explanation | None:
    """The request's origin became 'null' after a cross-origin redirect: no server value is the fix."""
    if scene.origin != "null" or scene.outcome.request.origin.opaque:
        return None
    sent = clip(scene.value("access-control-allow-origin") or "")
    why = (
        f"A cross-origin redirect turned the request's origin into 'null' (the page's origin is "
        f"{scene.blocked.origin}), so Access-Control-Allow-Origin '{sent}' on {scene.where} no longer matches."
    )
    fix = "Make the page call the final URL directly (no cross-origin redirect); never allow 'null' to make it work."
    return Explanation(why, fix)


def _mismatch(scene: Scene) -> Explanation:
    tainted = _tainted(scene)
    if tainted is not None:
        return tainted
    value, origin = scene.blocked.failure.hint, scene.origin
    sent = f"{_sentence(scene.where)} sends Access-Control-Allow-Origin '{clip(value)}'"
    exact = ""
    if value.rstrip("/") == origin:
        diff = "it has a trailing slash, and a serialised origin has no path or slash"
        exact = f"Send '{origin}', without the slash"
    elif value.lower() == origin.lower():
        diff = "it differs in case, and the comparison is byte for byte"
        exact = f"Send '{origin}' as the browser sends it (lower case)"
    elif value == "null":
        diff = "'null' matches only an opaque origin (a sandboxed iframe, a file: page)"
    elif "*" in value:
        diff = "a pattern matches nothing: only '*' alone or one whole origin is allowed"
    elif "://" not in value:
        diff = "it has no scheme (the URL parser reads the part before ':' as one, so it is a mismatch)"
        exact = f"Send the whole origin with its scheme, e.g. '{origin}'"
    elif value.partition("://")[2] == origin.partition("://")[2]:
        diff = "its scheme differs (http and https are different origins)"
    else:
        diff = "another origin: a fixed value, or one chosen for another page"
    why = f"{sent}: {diff}. The page's origin is '{origin}'."
    plausible = value.startswith(("http://", "https://")) and "*" not in value and len(value) < 200
    trusted = [value, origin] if plausible else [origin]
    trusted = list(dict.fromkeys(v.rstrip("/") if v.rstrip("/") == origin else v for v in trusted))
    layer_fix = fixes.allow_origin(scene.layer, trusted)
    if exact:
        fix = exact + (f"; to allow several origins, echo the one that matched: {layer_fix}." if layer_fix else ".")
    elif layer_fix:
        fix = f"Echo the request's Origin when it is on an allow-list instead of a fixed value: {layer_fix}."
    else:
        fix = CATALOGUE["AllowOriginMismatch"].fix
    return Explanation(why, fix, option_fix(scene.door, [("origins", f"['{origin}']")]))


def _multiple(scene: Scene) -> Explanation:
    lines = [v for n, v in scene.response.headers if n.lower() == "access-control-allow-origin"]
    if len(lines) > 1:
        shown = ", ".join(f"'{clip(v, 80)}'" for v in lines[:4]) + (", ..." if len(lines) > 4 else "")
        why = (
            f"{_sentence(scene.where)} carries {len(lines)} Access-Control-Allow-Origin lines "
            f"({shown}), which the browser reads as one list: two layers each add the header."
        )
        fix = fixes.one_owner(scene.layer, len(lines))
        fix = f"{fix[0].upper()}{fix[1:]}." if fix else CATALOGUE["MultipleAllowOriginValues"].fix
    else:
        why = f"{_sentence(scene.where)} lists several origins in one line: '{clip(lines[0])}'."
        layer_fix = fixes.allow_origin(scene.layer, [scene.origin])
        fix = f"Send only the origin that matched: {layer_fix}." if layer_fix else CATALOGUE["AllowOriginMismatch"].fix
    return Explanation(why, fix, order_fix(scene.door, "any other layer adding CORS headers") if len(lines) > 1 else
                       option_fix(scene.door, [("origins", f"['{scene.origin}']")]))  # fmt: skip


def _invalid_origin(scene: Scene) -> Explanation:
    value, origin = scene.blocked.failure.hint, scene.origin
    if "*" in value:
        what = "a pattern; only '*' alone or one whole origin is allowed"
    elif "://" not in value:
        what = "no scheme; an origin is scheme://host[:port]"
    else:
        what = "not a serialised origin"
    why = f"{_sentence(scene.where)} sends Access-Control-Allow-Origin '{clip(value)}': {what}."
    layer_fix = fixes.allow_origin(scene.layer, [origin])
    fix = f"Send the whole origin that matched, e.g. '{origin}'" + (f": {layer_fix}." if layer_fix else ".")
    return Explanation(why, fix, option_fix(scene.door, [("origins", f"['{origin}']")]))


def _wildcard(scene: Scene) -> Explanation:
    origin = scene.origin
    why = (
        f"{_sentence(scene.where)} sends Access-Control-Allow-Origin '*', and the page sends "
        "credentials: for such requests '*' is not a wildcard, the server must name the origin."
    )
    layer_fix = fixes.credentials(scene.layer, origin)
    if scene.layer is not None and scene.layer.name == "express":
        layer_fix = f"{layer_fix} (with credentials: true the default origin '*' cannot work)"
    fix = f"Name the allowed origin: {layer_fix}." if layer_fix else CATALOGUE["WildcardOriginNotAllowed"].fix
    ours = option_fix(scene.door, [("origins", f"['{origin}']"), ("credentials", "True")])
    return Explanation(why, fix, ours)


def _credentials(scene: Scene) -> Explanation:
    value = scene.blocked.failure.hint
    what = "no Access-Control-Allow-Credentials header" if not value else (
        f"Access-Control-Allow-Credentials '{clip(value)}', and only 'true' in lower case counts")  # fmt: skip
    why = f"The page sends credentials; {scene.where} carries {what}."
    layer_fix = fixes.credentials(scene.layer, scene.origin)
    fix = (
        f"Send Access-Control-Allow-Credentials: true on the preflight and the actual answer: {layer_fix}; or stop "
        "sending credentials." if layer_fix else CATALOGUE["InvalidAllowCredentials"].fix
    )  # fmt: skip
    return Explanation(why, fix, option_fix(scene.door, [("credentials", "True")]))


_ACCESS = {
    "MissingAllowOriginHeader": _missing_origin,
    "AllowOriginMismatch": _mismatch,
    "MultipleAllowOriginValues": _multiple,
    "InvalidAllowOriginValue": _invalid_origin,
    "WildcardOriginNotAllowed": _wildcard,
    "InvalidAllowCredentials": _credentials,
}


def explain(outcome: Outcome) -> Explanation | None:
    """The Why, the Fix and this library's line for a blocked outcome (None if allowed)."""
    blocked = outcome.blocked
    if blocked is None:
        return None
    scene = scene_of(outcome)
    if scene is not None:
        base = blocked.id.removeprefix("Preflight") if blocked.id.startswith("Preflight") else blocked.id
        build = _ACCESS.get(base) if base in _ACCESS else PREFLIGHT.get(blocked.id)
        if build is not None:
            return build(scene)
    ours = blocked.wsgicors_fix() if outcome.door is not None and outcome.door.ours else ""
    return Explanation(blocked.why(), blocked.fix(), ("With wsgicors", ours) if ours else None)
