"""The fix in the vocabulary of the app's door (``--app``): CORSMiddleware, Flask's CORS(app)/app.config,
Django's CORS[...] setting; none for an app that does not use this library. Each suggestion is pasted
back and the request is then allowed."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask

from flask_ext import CORS
from wsgicors import CORSMiddleware
from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.door import Door, describe_app
from wsgicors.doctor.explain import explain
from wsgicors.doctor.outcome import Outcome
from wsgicors.doctor.report_human import render
from wsgicors.doctor.wsgi import WsgiTransport

from .sample_app import strict, views
from .util import Scripted, answer

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

TRUSTED = "https://app.example"
ASKING = "https://admin.example"


def doctor(app: Any, url: str = "https://api.example/ok/", **request: Any) -> Outcome:
    page = PageRequest(parse_url(url), parse_origin(request.pop("origin", ASKING)), **request)
    return diagnose(page, WsgiTransport(app, timeout=10))


def ours(outcome: Outcome) -> tuple[str, str]:
    explanation = explain(outcome)
    assert explanation is not None and explanation.ours is not None, render(outcome)
    return explanation.ours


def flask_app(**options: Any) -> Flask:
    app = Flask("doctor_door")
    app.config.update(options.pop("config", {}))

    @app.route("/ok/")
    def ok() -> str:
        return "ok"

    if options.pop("cors", True):
        CORS(app, **options)
    return app


def literal(pattern: str, text: str) -> Any:
    match = re.search(pattern, text)
    assert match is not None, text
    return ast.literal_eval(match[1])


def test_wsgi_middleware_fix_is_the_call_and_pastes_back() -> None:
    outcome = doctor(strict)
    assert outcome.door == Door("wsgi", True)  # found through wsgiref.validate's wrapper
    label, text = ours(outcome)
    assert label == "With wsgicors"
    origins = literal(r"CORSMiddleware\(app, origins=(\[.*?\])\)", text)
    assert doctor(CORSMiddleware(views, origins=origins)).verdict == "allowed"


def test_flask_fix_names_cors_app_and_the_config_key_and_both_paste_back() -> None:
    outcome = doctor(flask_app(origins=[TRUSTED]))
    assert outcome.door == Door("flask", True)
    assert outcome.verdict == "blocked"
    label, text = ours(outcome)
    assert label == "With flask_ext"
    assert "CORSMiddleware" not in text
    keyword = literal(r"CORS\(app, origins=(\[.*?\])\)", text)
    config = literal(r'app\.config\["CORS_ORIGINS"\] = (\[.*?\])', text)
    assert doctor(flask_app(origins=keyword)).verdict == "allowed"
    assert doctor(flask_app(config={"CORS_ORIGINS": config})).verdict == "allowed"


def test_flask_without_this_library_still_gets_the_flask_fix() -> None:
    outcome = doctor(flask_app(cors=False))
    assert outcome.door == Door("flask", False)
    label, text = ours(outcome)
    assert label == "With flask_ext" and text.startswith("CORS(app, origins=")


def test_flask_header_fix_pastes_back() -> None:
    outcome = doctor(flask_app(origins=[ASKING], headers=["content-type"]), method="PUT",
                     headers=[("X-Api-Key", "k")])  # fmt: skip
    assert outcome.blocked is not None and outcome.blocked.id == "HeaderDisallowedByPreflightResponse"
    _label, text = ours(outcome)
    key = literal(r'app\.config\["CORS_HEADERS"\] = (\[.*?\])', text.replace("...", "'content-type'"))
    assert doctor(flask_app(origins=[ASKING], config={"CORS_HEADERS": key}), method="PUT",
                  headers=[("X-Api-Key", "k")]).verdict == "allowed"  # fmt: skip


@pytest.mark.django_db(databases=[])
def test_django_fix_names_the_cors_setting_and_pastes_back(settings: Any) -> None:
    from django.core.handlers.wsgi import WSGIHandler

    outcome = doctor(WSGIHandler(), origin="https://evil.example")
    assert outcome.door == Door("django", True)
    label, text = ours(outcome)
    assert label == "With django_ext"
    assert "CORSMiddleware(app" not in text and "app.config" not in text
    origins = literal(r'CORS\["origins"\] = (\[.*?\])', text)
    settings.CORS = {**settings.CORS, "origins": origins}
    assert doctor(WSGIHandler(), origin="https://evil.example").verdict == "allowed"


def _plain(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Access-Control-Allow-Origin", TRUSTED)])
    return [b"ok"]


def test_an_app_without_this_library_gets_no_wsgicors_line() -> None:
    app: WSGIApplication = _plain
    outcome = doctor(app)
    assert outcome.door == Door("wsgi", False)
    explanation = explain(outcome)
    assert explanation is not None and explanation.ours is None
    assert "With wsgicors" not in render(outcome)
    assert describe_app(CORSMiddleware(app, origins=[TRUSTED])) == Door("wsgi", True)


def test_a_frameworks_automatic_options_answer_is_recognised() -> None:
    outcome = doctor(flask_app(cors=False), method="PUT")
    assert outcome.blocked is not None and outcome.blocked.id == "PreflightMissingAllowOriginHeader"
    text = " ".join(render(outcome).split())
    assert "answered by: the web framework, its own automatic OPTIONS answer (Allow: " in text
    assert "no CORS layer handled the preflight" in text
    assert "With flask_ext: CORS(app, origins=['https://admin.example'])" in text


class _AsgiLike(Scripted):
    """A transport calling an ASGI app in-process (doctorr's --app for ASGI): it has ``.app``."""

    def __init__(self, app: Any, answers: dict[str, Any]) -> None:
        super().__init__(answers)
        self.app = app


def test_a_starlette_app_gets_starlettes_vocabulary_without_a_server_header() -> None:
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware as StarletteCORS

    app = Starlette(middleware=[Middleware(StarletteCORS, allow_origins=[TRUSTED])])
    assert describe_app(app) == Door("starlette", False)
    url = "https://api.example/ok/"
    transport = _AsgiLike(app, {url: answer(200, ("vary", "Origin"), ("content-type", "application/json"))})
    outcome = diagnose(PageRequest(parse_url(url), parse_origin(ASKING)), transport)
    explanation = explain(outcome)
    assert explanation is not None and explanation.ours is None
    assert 'CORSMiddleware(app, allow_origins=["https://admin.example"])' in explanation.fix
