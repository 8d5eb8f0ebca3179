"""Misspelt and mistyped options: mypy --strict must report an error on each line marked with an E comment.

Data for tests/typing/test_options_typed.py; never imported or run.
"""

from wsgiref.simple_server import demo_app

from flask import Blueprint, Flask

from django_ext.decorators import cross_origin as django_cross_origin
from flask_ext import CORS, cross_origin
from wsgicors import CORSMiddleware, Policy

flask_app = Flask(__name__)

Policy(origin=["https://app.example"])  # E: Unexpected keyword argument "origin"
Policy(max_age="10")  # E: Argument "max_age" to "Policy" has incompatible type "str"
Policy(credentials="yes")  # E: Argument "credentials" to "Policy" has incompatible type "str"
Policy(methods=5)  # E: Argument "methods" to "Policy" has incompatible type "int"
Policy(preflight_status="204")  # E: Argument "preflight_status" to "Policy" has incompatible type "str"
Policy(supports_credentials=True)  # E: Unexpected keyword argument "supports_credentials"
Policy(routes=[{"path": ["/api"]}])  # E: expected "RouteOptions | Route"
Policy(routes=[{"paths": ["/api"], "max_age": "60"}])  # E: expected "RouteOptions | Route"
Policy().replace(credentials=1)  # E: Argument "credentials" to "replace" of "Policy" has incompatible type "int"
CORSMiddleware(demo_app, origins=123)  # E: Argument "origins" to "CORSMiddleware" has incompatible type "int"
CORSMiddleware(demo_app, orgins=["https://app.example"])  # E: Unexpected keyword argument "orgins"
CORSMiddleware(demo_app, allow_origin_absent="no")  # E: "allow_origin_absent" to "CORSMiddleware" has incompatible
CORS(flask_app, credentials="yes")  # E: Argument "credentials" to "CORS" has incompatible type "str"
CORS(flask_app, expose_headers=["X-Id"])  # E: Unexpected keyword argument "expose_headers"
CORS(Blueprint("api", __name__), private_network=1)  # E: "private_network" to "CORS" has incompatible type "int"
cross_origin(max_age=1.5)  # E: Argument "max_age" to "cross_origin" has incompatible type "float"
cross_origin(origns=["https://app.example"])  # E: Unexpected keyword argument "origns"
django_cross_origin(headers=7)  # E: Argument "headers" to "cross_origin" has incompatible type "int"
django_cross_origin(allowed_origins=["https://app.example"])  # E: Unexpected keyword argument "allowed_origins"
django_cross_origin(routes=[{"paths": ["/api"]}])  # E: Unexpected keyword argument "routes"
