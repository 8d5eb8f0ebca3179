"""Which layer answered: recognised from what it sent (``Server``, ``X-Powered-By``, its own pages).

A CORS error is fixed where the answer was made: nginx's own 404 page needs
``add_header ... always``, Starlette's 400 needs ``allow_methods``, Express's
automatic OPTIONS answer needs ``app.options(...)``. The evidence is kept so the
report can show it; a layer that left no trace is not guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .checks import Response, header

__all__ = ["Layer", "clip", "recognise"]

_SERVERS = (  # Server header prefix (lower case) -> (name, label)
    ("nginx", "nginx", "nginx"),
    ("openresty", "nginx", "OpenResty (nginx)"),
    ("apache", "apache", "Apache httpd"),
    ("uvicorn", "uvicorn", "uvicorn (an ASGI server: Starlette, FastAPI)"),
    ("hypercorn", "uvicorn", "Hypercorn (an ASGI server: Starlette, FastAPI, Quart)"),
    ("werkzeug", "werkzeug", "Werkzeug (Flask's development server)"),
    ("gunicorn", "gunicorn", "gunicorn"),
    ("waitress", "waitress", "waitress"),
    ("caddy", "caddy", "Caddy"),
    ("kong", "kong", "Kong"),
    ("cloudflare", "cloudflare", "Cloudflare"),
    ("microsoft-iis", "iis", "IIS"),
)
_EXPRESS_ERROR = re.compile(r"<pre>(?:\w*Error: )?(.*?)(?:<br>|</pre>)", re.S)
_STARLETTE = re.compile(r"Disallowed CORS (?:origin|method|headers)(?:, (?:origin|method|headers))*")


def clip(text: str, limit: int = 160) -> str:
    """A server's value quoted in an explanation, shortened when a hostile server sent something huge."""
    return text if len(text) <= limit else f"{text[: limit - 40]}...({len(text)} characters)"


@dataclass(frozen=True)
class Layer:
    """The software that made an answer, and how the doctor knows."""

    name: str  # nginx | apache | express | fastify | starlette | uvicorn | wsgicors | werkzeug | ...
    label: str
    evidence: tuple[str, ...]
    own_page: str = ""  # what it answered by itself: "error page", "automatic OPTIONS answer", "CORS refusal"...
    detail: str = ""  # the message its page carries (an exception's text, Starlette's refusal)
    front: str = ""  # a server seen in front of it (Server: nginx before an Express app)

    def short(self) -> str:
        """'nginx's own 404 page', 'Express', 'Starlette's CORSMiddleware's own CORS refusal (400)'."""
        return f"{self.label}'s own {self.own_page}" if self.own_page else self.label

    def describe(self) -> str:
        """'nginx, its own 404 page (Server: nginx/1.22.1; ...)'."""
        what = f"{self.label}, its own {self.own_page}" if self.own_page else self.label
        front = f", behind {self.front}" if self.front else ""
        return f"{what}{front} ({'; '.join(self.evidence)})"


def _body(response: Response) -> str:
    return response.body[:4000].decode("utf-8", "replace")


def _server(response: Response) -> tuple[str, str, str] | None:
    value = header(response, "server")
    if value is None:
        return None
    lower = value.lower()
    for prefix, name, label in _SERVERS:
        if lower.startswith(prefix):
            return name, label, f"Server: {clip(value, 80)}"
    return None


def _express(response: Response, method: str, body: str, front: str) -> Layer:
    evidence = [f"X-Powered-By: {clip(header(response, 'x-powered-by') or '', 80)}"]
    allow = header(response, "allow")
    if method == "OPTIONS" and response.status == 200 and allow is not None and body.strip() == allow:
        evidence.append(f"Allow: {clip(allow, 80)}")
        return Layer("express", "Express", tuple(evidence), "automatic OPTIONS answer", front=front)
    if "<pre>Cannot " in body:
        evidence.append(f"body: {clip(body[body.index('<pre>') + 5 :].split('</pre>')[0], 120)}")
        return Layer("express", "Express", tuple(evidence), f"{response.status} page", front=front)
    match = _EXPRESS_ERROR.search(body) if response.status >= 500 else None
    if match is not None:
        evidence.append(f"body: {clip(match[0].removeprefix('<pre>').removesuffix('<br>'), 120)}")
        return Layer("express", "Express", tuple(evidence), "error page", clip(match[1].strip(), 120), front=front)
    return Layer("express", "Express", tuple(evidence), front=front)


def _fastify(response: Response, body: str) -> Layer | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not (isinstance(document, dict) and {"statusCode", "error", "message"} <= set(document)):
        return None
    if document.get("statusCode") != response.status:
        return None
    message = clip(str(document["message"]), 120)
    return Layer("fastify", "Fastify", (f"body: {clip(body.strip(), 120)}",), f"{response.status} answer", message)


def recognise(response: Response, method: str) -> Layer | None:
    """The layer that made ``response`` (the answer to ``method``), or None if nothing shows."""
    body = _body(response)
    server = _server(response)
    front = server[1] if server is not None else ""
    if response.engine:
        return Layer("wsgicors", "wsgicors", ("its engine logged this request",))
    starlette = _STARLETTE.fullmatch(body.strip()) if response.status == 400 else None
    if starlette is not None:
        shown = tuple(e for e in (server[2] if server else "", f"body: {body.strip()}") if e)
        return Layer("starlette", "Starlette's CORSMiddleware", shown, "CORS refusal (400)", body.strip())
    if (header(response, "x-powered-by") or "").lower().startswith("express"):
        return _express(response, method, body, front)
    fastify = _fastify(response, body) if response.status >= 400 else None
    if fastify is not None:
        return fastify
    allow = header(response, "allow")
    automatic = method == "OPTIONS" and 200 <= response.status <= 204
    if automatic and allow is not None and header(response, "access-control-allow-origin") is None:
        # A framework's own OPTIONS answer (Flask, Django's View, Rails...): Allow lists the route's methods.
        name, label, seen = server or ("framework", "the web framework", "")
        evidence = tuple(e for e in (seen, f"Allow: {clip(allow, 80)}") if e)
        return Layer(name, label, evidence, "automatic OPTIONS answer", front="")
    if server is not None:
        name, label, seen = server
        if name == "nginx" and "<center>nginx" in body:
            signature = clip(body.split("<center>")[-1].split("<")[0], 60)
            return Layer(name, label, (seen, f"body: <center>{signature}</center>"), f"{response.status} page")
        if name == "apache" and response.status >= 400 and "<title>" in body and "DOCTYPE HTML PUBLIC" in body:
            return Layer(name, label, (seen, "body: Apache's error document"), f"{response.status} page")
        return Layer(name, label, (seen,))
    if "<hr><center>nginx" in body:
        return Layer("nginx", "nginx", ("body: nginx's error page",), f"{response.status} page")
    return None
