"""cross_origin: per-view policies on function views (sync, async) and class-based views."""

from __future__ import annotations

import sys

import pytest
from asgiref.sync import iscoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from django_ext import decorators
from django_ext import middleware as mw
from django_ext.decorators import cross_origin, view_options
from tests.django_project import middleware, views

from .conftest import APP, Http

ACAO = "Access-Control-Allow-Origin"
VIEW = "https://view.example"
VIEW_ACTUAL = {ACAO: VIEW, "Access-Control-Expose-Headers": "X-View", "Vary": "Origin"}
# The decorator overrides origins, credentials, exposed_headers and max_age;
# methods and headers come from the project's CORS setting.
VIEW_PREFLIGHT = {
    ACAO: VIEW,
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Content-Type, X-Token",
    "Content-Type": "text/plain",
    "Content-Length": "0",
    "Vary": "Origin",
}


@pytest.mark.parametrize(
    ("path", "name"), [("/view-policy/", "view_policy"), ("/async-view-policy/", "async_view_policy")]
)
def test_decorated_view_gets_its_own_policy(http: Http, path: str, name: str) -> None:
    result = http("GET", path, origin=VIEW)
    assert result.status == 200
    assert result.cors == VIEW_ACTUAL
    assert views.calls == [name]


@pytest.mark.parametrize("path", ["/view-policy/", "/async-view-policy/"])
def test_decorated_view_refuses_the_global_origins(http: Http, path: str) -> None:
    assert http("GET", path, origin=APP).cors == {"Vary": "Origin"}


@pytest.mark.parametrize("path", ["/view-policy/", "/async-view-policy/"])
def test_preflight_to_a_decorated_view_uses_its_policy_before_the_view(http: Http, path: str) -> None:
    result = http.preflight(path, origin=VIEW)
    assert result.status == 200
    assert result.headers == VIEW_PREFLIGHT
    assert views.calls == []
    assert middleware.seen == []


def test_other_views_keep_the_global_policy(http: Http) -> None:
    assert http("GET", "/ok/", origin=VIEW).cors == {"Vary": "Origin"}
    assert http("GET", "/ok/", origin=APP).cors[ACAO] == APP


def test_class_based_view_with_method_decorator(http: Http) -> None:
    origin = "https://cbv.example"
    preflight = http.preflight("/cbv/", origin=origin, method="PUT")
    get = http("GET", "/cbv/", origin=origin)
    put = http("PUT", "/cbv/", origin=origin)
    assert preflight.status == 200
    assert preflight.headers == {
        ACAO: origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Max-Age": "600",
        "Access-Control-Allow-Methods": "GET, PUT",
        "Access-Control-Allow-Headers": "Content-Type, X-Token",
        "Content-Type": "text/plain",
        "Content-Length": "0",
        "Vary": "Origin",
    }
    expected = {
        ACAO: origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "X-App",
        "Vary": "Origin",
    }
    assert get.body == b"cbv get"
    assert get.cors == expected
    assert put.status == 403  # CSRF, after CORS: still decorated
    assert put.cors == expected
    assert views.calls == ["DecoratedView.get"]


def test_undecorated_class_based_view_keeps_the_global_policy(http: Http) -> None:
    assert http("GET", "/plain-cbv/", origin="https://cbv.example").cors == {"Vary": "Origin"}
    assert http("GET", "/plain-cbv/", origin=APP).cors[ACAO] == APP


def test_decorator_keeps_the_view_sync_or_async() -> None:
    assert not iscoroutinefunction(views.view_policy)
    assert iscoroutinefunction(views.async_view_policy)
    assert views.view_policy.__name__ == "view_policy"
    assert dict(view_options(views.view_policy) or {}) == {
        "origins": ["https://view.example"],
        "credentials": False,
        "exposed_headers": ["X-View"],
        "max_age": None,
    }
    assert view_options(views.ok) is None


def test_decorating_does_not_mark_the_original_function() -> None:
    def plain(request: object) -> str:
        return "plain"

    marked = cross_origin(origins=["https://a.example"])(plain)
    assert view_options(plain) is None
    assert view_options(marked) is not None
    assert marked(None) == "plain"


def test_global_policy_only_when_no_view_is_decorated(http: Http, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_resolve(*args: object, **kwargs: object) -> None:
        raise AssertionError("resolve() must not run when no view is decorated")

    monkeypatch.setattr(decorators.registry, "count", 0)
    monkeypatch.setattr(mw, "resolve", no_resolve)
    result = http("GET", "/ok/", origin=APP)
    assert result.cors[ACAO] == APP
    assert views.calls == ["ok"]


def test_first_request_to_a_fresh_urlconf_already_uses_the_view_policy(
    http: Http, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The URLconf is not imported yet, so no decorator has run: the middleware
    # must import it before deciding, or the first preflight would miss the view.
    monkeypatch.delitem(sys.modules, "tests.django_project.urls_late", raising=False)
    monkeypatch.setattr(decorators.registry, "count", 0)
    with override_settings(ROOT_URLCONF="tests.django_project.urls_late"):
        preflight = http.preflight("/late/", origin="https://late.example", method="GET")
        actual = http("GET", "/late/", origin="https://late.example")
    assert preflight.headers[ACAO] == "https://late.example"
    assert actual.cors == {ACAO: "https://late.example", "Vary": "Origin"}


def test_invalid_view_options_raise_improperly_configured_when_the_client_handler_starts() -> None:
    # The test client loads the middleware on its first request: that is its handler's start.
    with override_settings(ROOT_URLCONF="tests.django_project.urls_bad"):
        client = Client()
        with pytest.raises(ImproperlyConfigured, match=r"cross_origin on view .*wildcard.*'origins'"):
            client.get("/ok/", headers={"Origin": APP})
