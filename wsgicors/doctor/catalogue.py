"""Chromium's CORS errors: DevTools ids (``Network.CorsError``), console texts, why and fix.

Texts are those of current Chromium builds (``cors_error_string.cc``,
``GetErrorStringForConsoleMessage``); keyed by the CDP names, never by numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "Entry", "console_line", "escape_hint", "reason_text"]

_PREFLIGHT = "Response to preflight request doesn't pass access control check: "
_VALID_VALUE = " Have the server send the header with a valid value."
_XHR_CREDENTIALS = (
    " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
)


@dataclass(frozen=True)
class Entry:
    """One error: its console reason (``{hint}`` filled in), why it happens, and the fix."""

    reason: str
    why: str
    fix: str
    wsgicors: str = ""  # the option of this library that does the fix
    preflight_prefix: bool = False


_ACCESS: dict[str, Entry] = {
    "MissingAllowOriginHeader": Entry(
        "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        "The response carries no Access-Control-Allow-Origin header: the server's CORS policy does not allow "
        "this origin, CORS is not enabled on this route, or the answer came from something that bypasses the "
        "CORS layer (an error page, a proxy, an auth layer, a crash).",
        "Allow the exact origin the page sends, and make the CORS layer wrap every response (3xx, 4xx, 5xx "
        "and error pages too).",
        "CORSMiddleware(app, origins=['<origin>']) if that origin is trusted; the middleware outermost (Django: "
        "first in MIDDLEWARE)",
    ),
    "MultipleAllowOriginValues": Entry(
        "The 'Access-Control-Allow-Origin' header contains multiple values '{hint}', but only one is allowed.",
        "Access-Control-Allow-Origin holds more than one value: a list of origins, or two layers (the app and "
        "a proxy, a CDN, a second middleware) each adding the header; the browser joins the lines with ', '.",
        "Send exactly one Access-Control-Allow-Origin: the single origin that matched. Remove the duplicate "
        "layer (nginx add_header, a CDN rule, app code).",
        "let one layer own the CORS headers (the door replaces the app's own Access-Control-* headers)",
    ),
    "InvalidAllowOriginValue": Entry(
        "The 'Access-Control-Allow-Origin' header contains the invalid value '{hint}'.",
        "Access-Control-Allow-Origin must be '*' or a whole serialised origin (scheme://host[:port]); "
        "the value does not even parse as a URL (a bare host, host:port, a '*.domain' pattern).",
        "Send the full origin with its scheme, e.g. 'https://app.example.com'.",
        "origins=['https://app.example.com'] (or a 'https://*.example.com' pattern: the door echoes the match)",
    ),
    "AllowOriginMismatch": Entry(
        "The 'Access-Control-Allow-Origin' header has a value '{hint}' that is not equal to the supplied origin.",
        "Access-Control-Allow-Origin must equal the page's origin byte for byte: no trailing slash or path, "
        "the same scheme (http vs https), host (www vs apex, case) and port.",
        "Compare the request's Origin with an allow-list and echo the matching value exactly.",
        "origins=['<origin>'] (configured origins are normalised; the door echoes the request's Origin)",
    ),
    "WildcardOriginNotAllowed": Entry(
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' "
        "when the request's credentials mode is 'include'.",
        "The page sends credentials (cookies, HTTP auth), and for such requests '*' is not a wildcard: the "
        "server must name the origin.",
        "Echo the allowed request Origin instead of '*', add Access-Control-Allow-Credentials: true and "
        "Vary: Origin; or stop sending credentials.",
        "origins=['<origin>'], credentials=True ('*' with credentials is refused at start-up)",
    ),
    "InvalidAllowCredentials": Entry(
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '{hint}' which must be "
        "'true' when the request's credentials mode is 'include'.",
        "The page sends credentials, so the response must carry Access-Control-Allow-Credentials: true, "
        "exactly 'true' in lower case ('True', '1' or a missing header all fail).",
        "Send Access-Control-Allow-Credentials: true on the preflight and the actual response, with an "
        "explicit origin; or stop sending credentials (credentials: 'include' / withCredentials).",
        "credentials=True",
    ),
}

_PREFLIGHT_ONLY: dict[str, Entry] = {
    "PreflightInvalidStatus": Entry(
        "It does not have HTTP ok status.",
        "The preflight (OPTIONS) passed the origin check but was answered with a status outside 200-299: a "
        "router's 405, an auth layer's 401/403 (a preflight never carries cookies or Authorization), a 404 "
        "for an unknown route, a 500.",
        "Answer OPTIONS with 200 or 204 before routing and authentication run.",
        "CORSMiddleware outermost answers preflights itself (preflight_status=200 or 204)",
        preflight_prefix=True,
    ),
    "PreflightDisallowedRedirect": Entry(
        "Redirect is not allowed for a preflight request.",
        "The preflight (OPTIONS) was answered with a redirect (http->https, apex->www, a trailing slash "
        "added, a login page): browsers never follow a redirect on a preflight.",
        "Make the page call the final URL directly, and answer preflights before any redirecting middleware.",
        "CORSMiddleware outermost (Django: before CommonMiddleware's APPEND_SLASH)",
        preflight_prefix=True,
    ),
    "InvalidAllowMethodsPreflightResponse": Entry(
        "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
        "Access-Control-Allow-Methods must be a comma-separated list of method names; this value is not.",
        "Send e.g. 'Access-Control-Allow-Methods: GET, POST, PUT'.",
        "methods=['GET', 'POST', 'PUT']",
    ),
    "InvalidAllowHeadersPreflightResponse": Entry(
        "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
        "Access-Control-Allow-Headers must be a comma-separated list of header names; this value is not.",
        "Send e.g. 'Access-Control-Allow-Headers: content-type, x-custom'.",
        "headers=['content-type', 'x-custom']",
    ),
    "MethodDisallowedByPreflightResponse": Entry(
        "Method {hint} is not allowed by Access-Control-Allow-Methods in preflight response.",
        "The method is not GET, HEAD or POST and the preflight answer's Access-Control-Allow-Methods does not "
        "list it exactly (method names are case-sensitive: fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, "
        "POST and PUT, so 'patch' stays 'patch'), and '*' only counts without credentials.",
        "List the method in Access-Control-Allow-Methods (or echo the validated Access-Control-Request-Method); "
        "send 'PATCH' from the page, in upper case.",
        "methods=[..., '{hint}'] (or methods='*', which echoes the requested method)",
    ),
    "HeaderDisallowedByPreflightResponse": Entry(
        "Request header field {hint} is not allowed by Access-Control-Allow-Headers in preflight response.",
        "The page sets a header that is not CORS-safelisted (or a safelisted one with a value outside the "
        "rules), and the preflight answer's Access-Control-Allow-Headers does not name it ('*' only counts "
        "without credentials).",
        "Add the header name to Access-Control-Allow-Headers (or echo the validated "
        "Access-Control-Request-Headers). If it is 'access-control-allow-origin', fix the client: that is a "
        "response header.",
        "headers=[..., '{hint}'] (or headers=None, the default, which echoes the requested headers)",
    ),
    "RedirectContainsCredentials": Entry(
        "Redirect location '{hint}' contains a username and password, which is disallowed for cross-origin requests.",
        "A redirect's Location carries user:password@, which browsers refuse for CORS requests.",
        "Never redirect to URLs with userinfo; authenticate with headers or cookies.",
    ),
    "CorsDisabledScheme": Entry(
        "Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, "
        "chrome-untrusted, data, http, https, isolated-app.",
        "A redirect sent the request to a scheme CORS does not support.",
        "Redirect only to http or https URLs.",
    ),
}


def _lower_first(text: str) -> str:
    """'The response ...' -> 'the response ...'; a header name keeps its capital ('Access-Control-...')."""
    first = text.split(" ", 1)[0]
    return text if "-" in first else text[0].lower() + text[1:]


def _build() -> dict[str, Entry]:
    table = dict(_ACCESS)
    for name, entry in _ACCESS.items():
        table["Preflight" + name] = Entry(
            entry.reason,
            "On the preflight (OPTIONS) answer: " + _lower_first(entry.why),
            entry.fix.replace("Send ", "Send, on the OPTIONS answer too, ", 1),
            entry.wsgicors,
            preflight_prefix=True,
        )
    table.update(_PREFLIGHT_ONLY)
    return table


CATALOGUE: dict[str, Entry] = _build()


def escape_hint(value: str) -> str:
    """A value shown in a message: anything outside printable ASCII as ``\\uXXXX``."""
    out = []
    for ch in value:
        code = ord(ch)
        if 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)


def reason_text(error_id: str, hint: str, initiator: str) -> str:
    """The reason part of Chromium's console line (after "blocked by CORS policy: ")."""
    entry = CATALOGUE[error_id]
    text = entry.reason.replace("{hint}", escape_hint(hint))
    base = error_id.removeprefix("Preflight")
    if initiator == "fetch" and base in ("MultipleAllowOriginValues", "InvalidAllowOriginValue", "AllowOriginMismatch"):
        text += _VALID_VALUE
    if initiator == "xhr" and base in ("WildcardOriginNotAllowed", "InvalidAllowCredentials"):
        text += _XHR_CREDENTIALS
    return (_PREFLIGHT if entry.preflight_prefix else "") + text


def console_line(error_id: str, hint: str, initiator: str, url: str, first_url: str, origin: str) -> str:
    """Chromium's whole console line for a blocked request."""
    kind = "XMLHttpRequest" if initiator == "xhr" else "fetch"
    redirected = f"(redirected from '{escape_hint(first_url)}') " if first_url != url else ""
    return (
        f"Access to {kind} at '{escape_hint(url)}' {redirected}from origin '{escape_hint(origin)}' "
        f"has been blocked by CORS policy: {reason_text(error_id, hint, initiator)}"
    )
