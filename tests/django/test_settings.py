"""The CORS setting: built once per value, validated, and the middleware's sync/async modes."""

from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, override_settings

from django_ext import conf
from django_ext import middleware as mw
from django_ext.middleware import CORSMiddleware
from wsgicors import Decision, Policy

from .conftest import APP, Http


def test_policy_is_built_once_per_setting_value(http: Http, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    real = conf.build_policy

    def counting(value: object, **kwargs: object) -> Policy:
        built.append(value)
        return real(value)

    monkeypatch.setattr(conf, "build_policy", counting)
    monkeypatch.setattr(conf._state, "by_value", {})  # whatever earlier tests cached
    first = {"origins": ["https://one.example"]}
    second = {"origins": ["https://two.example"]}
    with override_settings(CORS=first):
        for _ in range(3):
            assert http("GET", "/ok/", origin="https://one.example").headers["Access-Control-Allow-Origin"]
    with override_settings(CORS=second):
        assert http("GET", "/ok/", origin="https://two.example").cors["Access-Control-Allow-Origin"]
    with override_settings(CORS=first):  # the same value again: cached
        assert http("GET", "/ok/", origin="https://one.example").cors["Access-Control-Allow-Origin"]
    assert built == [first, second]


def test_invalid_setting_fails_requests_with_improperly_configured() -> None:
    with override_settings(CORS={"origins": ["*"], "credentials": True}):
        with pytest.raises(ImproperlyConfigured, match=r"settings\.CORS: CORS option 'origins'"):
            Client().get("/ok/", headers={"Origin": APP})


def test_invalid_setting_fails_at_start_up() -> None:
    with override_settings(CORS={"max_age": -1}):
        with pytest.raises(ImproperlyConfigured, match="max_age"):
            WSGIHandler()


def test_dotted_path_that_does_not_import_says_list_or_dotted_path() -> None:
    with override_settings(CORS={"origins": "myproject.cors.nothing"}):
        with pytest.raises(ImproperlyConfigured, match="origins must be a list or a dotted path"):
            conf.current_policy()


def test_origin_strings_are_not_mistaken_for_dotted_paths() -> None:
    with override_settings(CORS={"origins": "https://one.example"}):
        policy = conf.current_policy()
    assert policy is not None
    assert policy.matcher.exact == frozenset({"https://one.example"})


def _middleware_of(handler: WSGIHandler | ASGIHandler) -> CORSMiddleware:
    chain = handler._middleware_chain
    assert chain is not None
    found = chain.__wrapped__  # convert_exception_to_response wraps the first middleware
    assert isinstance(found, CORSMiddleware)
    return found


def test_under_asgi_the_middleware_is_a_coroutine_function() -> None:
    asgi = _middleware_of(ASGIHandler())
    wsgi = _middleware_of(WSGIHandler())
    assert asgi.async_mode and iscoroutinefunction(asgi)
    assert not wsgi.async_mode and not iscoroutinefunction(wsgi)


def test_async_requests_are_decided_on_the_event_loop(http: Http, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = mw.evaluate

    def spy(policy: Policy, meta: object) -> Decision:
        try:
            asyncio.get_running_loop()
            seen.append(True)
        except RuntimeError:
            seen.append(False)
        return real(policy, meta)  # type: ignore[arg-type]

    monkeypatch.setattr(mw, "evaluate", spy)
    result = http("GET", "/async-ok/", origin=APP)
    assert result.status == 200
    # AsyncClient: on the loop, no sync_to_async thread; sync Client: no loop at all.
    assert seen == [http.mode == "async"]
    assert threading.current_thread() is threading.main_thread()
