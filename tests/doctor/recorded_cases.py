"""Real servers configured as their docs and well-known answers configure them, right and wrong,
with the requests the doctor sends them and the explanation each answer must get.

``scripts/record_doctor_answers.py`` starts each server (tests/doctor/real_servers.py), runs
the doctor and stores every exchange in ``tests/data/doctor/<name>.json`` together with the
config and these expectations; test_recorded.py replays them; test_live_servers.py runs the
cheap ones live. Placeholders: ``{port}``, ``{port2}`` (a second port), ``{closed}`` (a port
nothing listens on), ``{root}`` (a docroot holding ``api/items``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["APP", "CASES", "Ask", "Case", "OTHER"]

APP = "https://app.example.com"
OTHER = "https://admin.example.com"
JSON = ["Content-Type: application/json"]


@dataclass(frozen=True)
class Ask:
    """One doctor run against the server, and what its report must say."""

    path: str
    origin: str = APP
    method: str = "GET"
    headers: list[str] = field(default_factory=list)
    credentials: str = "same-origin"
    data: str | None = None
    audit: bool = False
    verdict: str = "allowed"
    error: str | None = None
    layer: str | None = None  # the layer recognised on the answer that decided
    says: list[str] = field(default_factory=list)  # in the report (Why, Fix, findings, audit)
    never: list[str] = field(default_factory=list)  # nowhere in the report
    warnings: list[str] = field(default_factory=list)  # finding ids that must be warnings
    no_warnings: list[str] = field(default_factory=list)  # finding ids that must not be warnings

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Case:
    name: str
    server: str  # nginx | apache | express | fastify | starlette
    about: str
    config: str
    asks: tuple[Ask, ...]


NGINX_OPTIONS = """
    if ($request_method = OPTIONS) {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Methods "GET, PUT, DELETE" always;
        add_header Access-Control-Allow-Headers "authorization, content-type" always;
        add_header Access-Control-Max-Age 600 always;
        add_header Vary Origin always;
        return 204;
    }
    add_header Access-Control-Allow-Origin $cors_origin always;
    add_header Vary Origin always;"""
NO_WSGICORS = ["With wsgicors", "With flask_ext", "With django_ext", "CORSMiddleware(app, origins"]
WRAP = "let the CORS layer wrap error responses"

CASES: tuple[Case, ...] = (
    Case("nginx-add-header-without-always", "nginx",
         "add_header without 'always': nginx adds it to 2xx/3xx answers only, so its own 404 page has none",
         """server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {
        add_header Access-Control-Allow-Origin "https://app.example.com";
    }
}""",
         (Ask("/api/items", no_warnings=["missing-vary-origin"]),
          Ask("/api/missing", verdict="blocked", error="MissingAllowOriginHeader", layer="nginx",
              says=["add_header Access-Control-Allow-Origin", "always", "Server: nginx", "404"],
              never=[*NO_WSGICORS, WRAP, "Nothing answers"]))),
    Case("nginx-proxy-dead-upstream", "nginx",
         "a reverse proxy whose backend is down: nginx's own 502 page carries no CORS header",
         """server {
    listen 127.0.0.1:{port};
    location /api/ {
        proxy_pass http://127.0.0.1:{closed};
        add_header Access-Control-Allow-Origin "https://app.example.com";
    }
}""",
         (Ask("/api/items", verdict="blocked", error="MissingAllowOriginHeader", layer="nginx",
              says=["502", "always", "backend"], never=[*NO_WSGICORS, WRAP]),)),
    Case("nginx-static-options-405", "nginx",
         "CORS headers with 'always' but nothing answers OPTIONS: the static handler's 405",
         """server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        add_header Access-Control-Allow-Methods "GET, PUT" always;
        add_header Access-Control-Allow-Headers "content-type" always;
    }
}""",
         (Ask("/api/items", method="PUT", headers=JSON, data="{}", verdict="blocked", error="PreflightInvalidStatus",
              layer="nginx", says=["405", "if ($request_method = OPTIONS)", "return 204"], never=NO_WSGICORS),)),
    Case("nginx-fixed-origin", "nginx",
         "one fixed Access-Control-Allow-Origin for every origin (the common copy-paste)",
         """server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}""",
         (Ask("/api/items", origin=OTHER, verdict="blocked", error="AllowOriginMismatch", layer="nginx",
              says=["map $http_origin", "https://app.example.com", "fixed"], never=NO_WSGICORS),
          Ask("/api/items", audit=True, no_warnings=["missing-vary-origin"], says=["0 of 6"]))),
    Case("nginx-map", "nginx",
         "the documented pattern: a map of allowed origins, OPTIONS answered with 204, 'always' everywhere",
         """map $http_origin $cors_origin {
    default "";
    "https://app.example.com" $http_origin;
}
server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {""" + NGINX_OPTIONS + """
    }
}""",
         (Ask("/api/items", headers=["Authorization: Bearer t0k3n"]),
          Ask("/api/items", origin=OTHER, verdict="blocked", error="MissingAllowOriginHeader", layer="nginx",
              says=["map", "https://admin.example.com", "Vary: Origin"], never=[*NO_WSGICORS, WRAP]))),
    Case("nginx-map-unanchored-regex", "nginx",
         "a map entry as an unanchored regex: look-alike origins match",
         """map $http_origin $cors_origin {
    default "";
    "~app\\.example\\.com" $http_origin;
}
server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {""" + NGINX_OPTIONS + """
    }
}""",
         (Ask("/api/items", audit=True,
              says=["https://app.example.com.evil.example", "http://app.example.com", "map", "anchor"],
              never=NO_WSGICORS, no_warnings=["missing-vary-origin"]),)),
    Case("nginx-lower-case-methods", "nginx",
         "Access-Control-Allow-Methods in lower case: method names are case-sensitive",
         """server {
    listen 127.0.0.1:{port};
    root {root};
    location /api/ {
        if ($request_method = OPTIONS) {
            add_header Access-Control-Allow-Origin "https://app.example.com" always;
            add_header Access-Control-Allow-Methods "get, put" always;
            return 204;
        }
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}""",
         (Ask("/api/items", method="PUT", verdict="blocked", error="MethodDisallowedByPreflightResponse",
              layer="nginx", says=["'put'", "lower case", "case-sensitive", "PUT"],
              never=["'patch'", "send 'PATCH'", *NO_WSGICORS]),
          Ask("/api/items", method="DELETE", verdict="blocked", error="MethodDisallowedByPreflightResponse",
              says=["DELETE is not listed", '"GET, PUT, DELETE"'], never=["PATCH", "lower case"]))),
    Case("nginx-proxy-duplicate-acao", "nginx",
         "nginx adds Access-Control-Allow-Origin and so does the backend it proxies: two lines",
         """server {
    listen 127.0.0.1:{port2};
    location / {
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
        return 200 '{"items":[]}';
    }
}
server {
    listen 127.0.0.1:{port};
    location /api/ {
        proxy_pass http://127.0.0.1:{port2};
        add_header Access-Control-Allow-Origin "https://app.example.com" always;
    }
}""",
         (Ask("/api/items", verdict="blocked", error="MultipleAllowOriginValues", layer="nginx",
              says=["two", "proxy_hide_header Access-Control-Allow-Origin"], never=NO_WSGICORS),)),
    Case("nginx-location-add-header-drops-inherited", "nginx",
         "CORS headers at server level, and one add_header in the location: it replaces every inherited one",
         """server {
    listen 127.0.0.1:{port};
    root {root};
    add_header Access-Control-Allow-Origin "https://app.example.com" always;
    location /api/ {
        add_header Cache-Control "no-store";
    }
}""",
         (Ask("/api/items", verdict="blocked", error="MissingAllowOriginHeader", layer="nginx",
              says=["replaces every add_header inherited", "always"], never=NO_WSGICORS),)),
    Case("apache-header-set-without-always", "apache",
         "Header set (not 'always'): Apache's own 404 page has no CORS header; the value is fixed",
         """<Directory {root}>
    Require all granted
</Directory>
<Location "/api/">
    Header set Access-Control-Allow-Origin "https://app.example.com"
</Location>
""",
         (Ask("/api/items", no_warnings=["missing-vary-origin"]),
          Ask("/api/missing", verdict="blocked", error="MissingAllowOriginHeader", layer="apache",
              says=["Header always set", "404", "Server: Apache"], never=[*NO_WSGICORS, WRAP, "Nothing answers"]))),
    Case("apache-setenvif-echo", "apache",
         "SetEnvIf echoes an allowed origin, OPTIONS answered with 204 by mod_rewrite, but no Vary: Origin",
         """<Directory {root}>
    Require all granted
</Directory>
SetEnvIf Origin "^https://app\\.example\\.com$" CORS_ORIGIN=$0
Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
Header always set Access-Control-Allow-Methods "GET, PUT" env=CORS_ORIGIN
Header always set Access-Control-Allow-Headers "content-type" env=CORS_ORIGIN
RewriteEngine On
RewriteCond %{REQUEST_METHOD} OPTIONS
RewriteRule ^ - [R=204,L]
""",
         (Ask("/api/items", audit=True, warnings=["missing-vary-origin"], says=["Header always merge Vary Origin"]),
          Ask("/api/items", origin=OTHER, verdict="blocked", error="MissingAllowOriginHeader", layer="apache",
              says=["SetEnvIf", "https://admin.example.com"], never=NO_WSGICORS))),
    Case("express-cors-per-route", "express",
         "cors() on each route only: Express answers the preflight itself (its automatic OPTIONS answer)",
         """const express = require('express');
const cors = require('cors');
const app = express();
const corsOptions = { origin: 'https://app.example.com' };
app.get('/api/items', cors(corsOptions), (req, res) => res.json({ items: [] }));
app.put('/api/items', cors(corsOptions), (req, res) => res.json({ ok: true }));
app.listen({port}, '127.0.0.1');
""",
         (Ask("/api/items", method="PUT", headers=JSON, data="{}", verdict="blocked",
              error="PreflightMissingAllowOriginHeader", layer="express",
              says=["app.options(", "cors(", "Allow: GET,HEAD,PUT", "X-Powered-By: Express"],
              never=[*NO_WSGICORS, "before routing and authentication"]),)),
    Case("express-origin-callback-error", "express",
         "the cors README's dynamic origin: callback(new Error(...)) for a denied origin is a 500",
         """const express = require('express');
const cors = require('cors');
const app = express();
const allowlist = ['https://app.example.com'];
const corsOptions = {
  origin: function (origin, callback) {
    if (allowlist.indexOf(origin) !== -1) {
      callback(null, true);
    } else {
      callback(new Error('Not allowed by CORS'));
    }
  }
};
app.use(cors(corsOptions));
app.get('/api/items', (req, res) => res.json({ items: [] }));
app.listen({port}, '127.0.0.1');
""",
         (Ask("/api/items"),
          Ask("/api/items", origin=OTHER, verdict="blocked", error="MissingAllowOriginHeader", layer="express",
              says=["callback(null, false)", "500", "Not allowed by CORS"], never=[*NO_WSGICORS, WRAP]))),
    Case("express-credentials-wildcard", "express",
         "cors({credentials: true}) keeps the default origin '*': credentialed requests fail",
         """const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ credentials: true }));
app.get('/api/items', (req, res) => res.json({ items: [] }));
app.listen({port}, '127.0.0.1');
""",
         (Ask("/api/items", credentials="include", verdict="blocked", error="WildcardOriginNotAllowed",
              layer="express", says=["origin: ['https://app.example.com']", "credentials: true"],
              never=NO_WSGICORS),)),
    Case("express-origin-true-credentials", "express",
         "cors({origin: true, credentials: true}) reflects every origin with cookies",
         """const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: true, credentials: true }));
app.get('/api/items', (req, res) => res.json({ items: [] }));
app.listen({port}, '127.0.0.1');
""",
         (Ask("/api/items", credentials="include", audit=True,
              says=["6 of 6", "https://evil.example", "null", "origin: ['https://app.example.com']"],
              never=NO_WSGICORS),)),
    Case("express-origin-string", "express",
         "cors({origin: 'https://app.example.com'}): a string is sent as it is, to every origin",
         """const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.get('/api/items', (req, res) => res.json({ items: [] }));
app.listen({port}, '127.0.0.1');
""",
         (Ask("/api/items", origin=OTHER, verdict="blocked", error="AllowOriginMismatch", layer="express",
              says=["origin: ['https://app.example.com', 'https://admin.example.com']"], never=NO_WSGICORS),)),
    Case("fastify-origin-callback-error", "fastify",
         "@fastify/cors with an origin function that errors for a denied origin: Fastify's JSON 500",
         """const fastify = require('fastify')();
fastify.register(require('@fastify/cors'), {
  origin: (origin, cb) => {
    if (origin === 'https://app.example.com') { cb(null, true); return; }
    cb(new Error('Not allowed'), false);
  }
});
fastify.get('/api/items', async () => ({ items: [] }));
fastify.listen({ port: {port}, host: '127.0.0.1' });
""",
         (Ask("/api/items", origin=OTHER, verdict="blocked", error="MissingAllowOriginHeader", layer="fastify",
              says=["cb(null, false)", "500"], never=[*NO_WSGICORS, WRAP]),)),
    Case("fastify-default-methods", "fastify",
         "@fastify/cors's default methods are GET, HEAD, POST: a PUT's preflight fails; Fastify leaves no trace",
         """const fastify = require('fastify')();
fastify.register(require('@fastify/cors'), { origin: ['https://app.example.com'] });
fastify.put('/api/items', async () => ({ ok: true }));
fastify.listen({ port: {port}, host: '127.0.0.1' });
""",
         (Ask("/api/items", method="PUT", verdict="blocked", error="MethodDisallowedByPreflightResponse",
              says=["allows 'GET', 'HEAD', 'POST'; PUT is not listed", "Add PUT to Access-Control-Allow-Methods"],
              never=NO_WSGICORS),)),
    Case("starlette-default-methods", "starlette",
         "CORSMiddleware with allow_origins only: allow_methods defaults to GET, so a JSON POST's preflight is a 400",
         """from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def items(request):
    return JSONResponse({"items": []})


app = Starlette(
    routes=[Route("/api/items", items, methods=["GET", "POST"])],
    middleware=[Middleware(CORSMiddleware, allow_origins=["https://app.example.com"])],
)
""",
         (Ask("/api/items"),
          Ask("/api/items", method="POST", headers=JSON, data="{}", verdict="blocked", error="PreflightInvalidStatus",
              layer="starlette", says=["Disallowed CORS method", 'allow_methods=["GET", "POST"]'],
              never=[*NO_WSGICORS, "before routing and authentication"]),
          Ask("/api/items", origin=OTHER, method="POST", headers=JSON, data="{}", verdict="blocked",
              error="PreflightMissingAllowOriginHeader", layer="starlette",
              says=["Disallowed CORS origin", '"https://admin.example.com"', "allow_origins"],
              never=[*NO_WSGICORS, "before routing and authentication"]))),
    Case("starlette-headers-not-allowed", "starlette",
         "allow_methods=['*'] but no allow_headers: a custom header's preflight is a 400",
         """from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def items(request):
    return JSONResponse({"items": []})


app = Starlette(
    routes=[Route("/api/items", items, methods=["GET", "PUT"])],
    middleware=[
        Middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_methods=["*"]),
    ],
)
""",
         (Ask("/api/items", method="PUT", headers=["X-Api-Key: k3y"], verdict="blocked",
              error="PreflightInvalidStatus", layer="starlette",
              says=["Disallowed CORS headers", 'allow_headers=["x-api-key"]'], never=NO_WSGICORS),
          Ask("/api/items", origin=OTHER, verdict="blocked", error="MissingAllowOriginHeader", layer="uvicorn",
              says=["allow_origins", "https://admin.example.com"], never=NO_WSGICORS))),
)  # fmt: skip
