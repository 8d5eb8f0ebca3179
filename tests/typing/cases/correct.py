"""Correct options in every door: mypy --strict must report nothing here.

Data for tests/typing/test_options_typed.py; never imported or run.
"""

import re
from collections.abc import Mapping
from typing import Any
from wsgiref.simple_server import demo_app

from flask import Blueprint, Flask

from django_ext.decorators import cross_origin as django_cross_origin
from flask_ext import CORS, cross_origin
from wsgicors import CORSMiddleware, Options, Policy, Route


def allowed(origin: str, environ: Mapping[str, Any]) -> bool:
    return origin.endswith(".example")


flask_app = Flask(__name__)
options: Options = {"origins": ["https://app.example"], "credentials": True}

Policy()
Policy(origins="*", methods="GET, POST", headers=None, exposed_headers=["X-Id"], max_age=None)
Policy(origins=["https://app.example", "https://*.example.com", re.compile(r"https://[a-z]+\.example\.org")])
Policy(origins={"https://app.example"}, methods={"GET"}, credentials=True, max_age=600)
Policy(origins=allowed, private_network=True, preflight_continue=False, allow_origin_absent=False)
Policy(preflight_status=204, routes=[{"paths": ["/api"], "match_methods": ["GET"], "max_age": 60}])
Policy(routes=[Route(paths=["/a"]), {"paths": "/b", "hosts": ["api.example.com"], "origins": "*"}])
Policy(**options).replace(max_age=10)
CORSMiddleware(demo_app, origins=["https://app.example"], credentials=True)
CORSMiddleware(demo_app, policy=Policy(**options))
CORSMiddleware(demo_app, **options)
CORS(flask_app, origins=["https://app.example"], methods=["GET", "POST"])
CORS(Blueprint("api", __name__), exposed_headers="*")
CORS(**options).init_app(flask_app)
cross_origin(origins=["https://app.example"], max_age=10)
django_cross_origin(origins="myproject.cors.allowed", credentials=False)
django_cross_origin(origins=["https://app.example"], headers=["X-Token"])
