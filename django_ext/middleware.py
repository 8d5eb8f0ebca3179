"""``CORSMiddleware``: the Django door on the wsgicors engine.

Put it first in ``MIDDLEWARE``. For each request it asks the engine
(``wsgicors.evaluate`` on ``request.META``); a preflight is answered right
here, before any later middleware (sessions, CSRF, auth,
``LoginRequiredMiddleware``) or the URL resolver runs; any other response,
whatever made it (a view, an exception handler, a later middleware), gets the
decision's headers on its way out. Sync and async: under ASGI it runs as a
coroutine, with no thread hop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import get_resolver, resolve

from wsgicors import CORSConfigError, Decision, Policy, evaluate
from wsgicors.clash import warn_if_clashing
from wsgicors.headers import exposed_names, merge_vary
from wsgicors.protocol import is_cors_response_header

from .conf import _state, current_policy, view_policy
from .decorators import registry, view_options
from .urlconf import decorated_views

__all__ = ["CORSMiddleware", "DecidingMiddleware", "apply_decision", "preflight_response", "validate_views"]

_ACEH = "Access-Control-Expose-Headers"

GetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


class _Urls:
    """Whether the URLconf was imported since it last changed (so decorators have run)."""

    __slots__ = ("loaded",)

    def __init__(self) -> None:
        self.loaded = False


_urls = _Urls()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _urls.loaded = False


setting_changed.connect(_on_setting_changed, dispatch_uid="django_ext.middleware.setting_changed")


def _store_of(response: HttpResponseBase) -> dict[str, tuple[str, str]] | None:
    """The dict behind ``response.headers``, when Django keeps one (3.2 to 5.2 do).

    Writing the engine's headers straight into it skips ``ResponseHeaders``'
    per-header charset and newline validation: the engine never emits CR, LF or
    NUL, and everything it reflects (origins, method and header tokens) is ASCII.
    """
    store = getattr(response.headers, "_store", None)
    return store if type(store) is dict else None


def preflight_response(decision: Decision) -> HttpResponse:
    """The answer to a preflight the engine decided to answer (``decision.respond``)."""
    assert decision.status is not None
    response = HttpResponse(status=decision.status)
    store = _store_of(response)
    if store is not None:
        # Exactly the decision's headers: Content-Type only when it says so (not on a 204).
        store.clear()
        for name, value in decision.extra:
            store[name.lower()] = (name, value)
    else:  # pragma: no cover - a Django without ResponseHeaders._store
        headers = response.headers
        del headers["Content-Type"]
        for name, value in decision.extra:
            headers[name] = value
    return response


def apply_decision(decision: Decision, response: HttpResponseBase) -> HttpResponseBase:
    """Write ``decision`` into a Django response, as ``wsgicors.headers.apply_headers`` does into a header list.

    The response's own CORS headers are removed (the policy's alone govern), the
    decision's are set, its ``vary`` is merged into ``Vary`` and, when asked,
    the response's own header names are listed in Access-Control-Expose-Headers.
    """
    store = _store_of(response)
    if store is None or decision.expose_response_headers:
        return _apply_public(decision, response)
    for key in store:
        if key[:15] == "access-control-":
            # The policy's CORS headers alone (DESIGN, "Rules every door keeps").
            for name in [own for own in store if is_cors_response_header(own)]:
                del store[name]
            break
    own_vary = store.get("vary")
    if own_vary is None:  # the common case: set the headers and the Vary line
        for name, value in decision.extra:
            store[name.lower()] = (name, value)
        return response
    for name, value in decision.headers:
        store[name.lower()] = (name, value)
    if decision.vary:
        merged = merge_vary((own_vary[1],), decision.vary)
        if merged is not None:
            store["vary"] = ("Vary", merged)
    return response


def _apply_public(decision: Decision, response: HttpResponseBase) -> HttpResponseBase:
    """:func:`apply_decision` through Django's public (validating) header API."""
    headers = response.headers
    for name in [name for name in headers if is_cors_response_header(name.lower())]:
        del headers[name]
    for name, value in decision.headers:
        headers[name] = value
    if decision.expose_response_headers:
        # Vary is left out, as apply_headers does for WSGI responses.
        exposed = exposed_names(name for name in headers if name.lower() != "vary")
        if exposed is not None:
            headers[_ACEH] = exposed
    if decision.vary:
        vary = headers.get("Vary")
        merged = merge_vary((vary,) if vary else (), decision.vary)
        if merged is not None:
            headers["Vary"] = merged
    return response


def _load_urls(urlconf: Any) -> None:
    """Import the URLconf (and with it the views' ``cross_origin`` marks) before resolving."""
    try:
        get_resolver(urlconf).url_patterns  # noqa: B018 - imports the URLconf
    except Exception:  # Django reports a broken URLconf itself, a moment later
        return
    if urlconf is None:
        _urls.loaded = True


def validate_views() -> None:
    """Build the policy of every ``cross_origin`` view in the root URLconf now (and cache it).

    Run when the middleware is built, i.e. when the WSGI or ASGI handler starts:
    a view whose options are invalid then fails the process at start-up with
    ``ImproperlyConfigured`` naming the view and the option, instead of
    answering 500 on every request (gunicorn and uvicorn run no system checks).
    """
    base = current_policy()
    _load_urls(None)
    for name, options in decorated_views():
        try:
            view_policy(options, base)
        except ImproperlyConfigured as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, CORSConfigError) else exc
            raise ImproperlyConfigured(f"cross_origin on {name}: {cause}") from cause


def _policy_for(request: HttpRequest) -> Policy | None:
    """The policy governing ``request``: its view's, if the view is decorated, else the setting's."""
    policy = _state.policy if not _state.stale else current_policy()
    urlconf = getattr(request, "urlconf", None)
    if not _urls.loaded or urlconf is not None:
        _load_urls(urlconf)
    if registry.count:
        try:
            match = resolve(request.path_info, urlconf)
        except Http404:
            return policy
        options = view_options(match.func)
        if options is not None:
            return view_policy(options, policy)
    return policy


def _select(request: HttpRequest) -> Policy | None:
    """The policy for ``request``: the setting's, unless decorated views may override it."""
    if registry.count or not _urls.loaded:
        return _policy_for(request)
    return _state.policy if not _state.stale else current_policy()


class DecidingMiddleware:
    """The door's sync and async skeleton: decide, then answer a preflight here or put the
    decision's headers on whatever response comes back. Subclasses say how they decide."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse | AsyncGetResponse) -> None:
        warn_if_clashing()
        self.get_response: Callable[[HttpRequest], Any] = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            # Django calls us as a coroutine function: no sync_to_async hop.
            markcoroutinefunction(self)
        self.start()

    def start(self) -> None:
        """Validate the configuration when the handler builds the middleware (start-up)."""

    def decide(self, request: HttpRequest) -> Decision | None:
        """The engine's decision for ``request``, or None when no policy governs it."""
        raise NotImplementedError

    async def adecide(self, request: HttpRequest) -> Decision | None:
        """:meth:`decide` under ASGI (override to move blocking work off the event loop)."""
        return self.decide(request)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        decision = self.decide(request)
        if decision is None:
            return self.get_response(request)
        if decision.respond:
            return preflight_response(decision)
        response: HttpResponseBase = self.get_response(request)
        if decision.touches_response:
            apply_decision(decision, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        decision = await self.adecide(request)
        if decision is None:
            passed: HttpResponseBase = await self.get_response(request)
            return passed
        if decision.respond:
            return preflight_response(decision)
        response: HttpResponseBase = await self.get_response(request)
        if decision.touches_response:
            apply_decision(decision, response)
        return response


class CORSMiddleware(DecidingMiddleware):
    """Answers preflights and puts CORS headers on responses, per the ``CORS`` setting.

    ``MIDDLEWARE = ["django_ext.middleware.CORSMiddleware", ...]`` (first).
    """

    def start(self) -> None:
        # An invalid CORS setting or cross_origin view fails at start-up, not per request.
        validate_views()

    def decide(self, request: HttpRequest) -> Decision | None:
        policy = _select(request)
        return None if policy is None else evaluate(policy, request.META)
