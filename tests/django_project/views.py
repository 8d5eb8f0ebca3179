"""Views of the test project; each records its calls in ``calls``."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST

from django_ext.decorators import cross_origin

#: The name of every view that ran, in order.
calls: list[str] = []
#: What the dotted-path origin check was asked: (origin, PATH_INFO).
origin_checks: list[tuple[str, str]] = []


def allow_dynamic(origin: str, meta: Mapping[str, Any]) -> bool:
    """The dotted-path origin check of the tests: any https subdomain of dyn.example."""
    origin_checks.append((origin, meta["PATH_INFO"]))
    return origin.startswith("https://") and origin.endswith(".dyn.example")


def ok(request: HttpRequest) -> HttpResponse:
    calls.append("ok")
    response = HttpResponse(f"ok {request.method}")
    response["X-App"] = "1"
    return response


async def async_ok(request: HttpRequest) -> HttpResponse:
    calls.append("async_ok")
    response = HttpResponse(f"async ok {request.method}")
    response["X-App"] = "1"
    return response


def app_headers(request: HttpRequest) -> HttpResponse:
    calls.append("app_headers")
    response = HttpResponse("own headers")
    response["Access-Control-Allow-Origin"] = "https://wrong.example"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def redirect(request: HttpRequest) -> HttpResponse:
    calls.append("redirect")
    return HttpResponseRedirect("/ok/")


def missing(request: HttpRequest) -> HttpResponse:
    calls.append("missing")
    raise Http404("nothing here")


def forbidden(request: HttpRequest) -> HttpResponse:
    calls.append("forbidden")
    raise PermissionDenied("no")


def boom(request: HttpRequest) -> HttpResponse:
    calls.append("boom")
    raise RuntimeError("boom")


async def async_boom(request: HttpRequest) -> HttpResponse:
    calls.append("async_boom")
    raise RuntimeError("async boom")


def stream(request: HttpRequest) -> StreamingHttpResponse:
    calls.append("stream")
    return StreamingHttpResponse(iter([b"chunk1,", b"chunk2"]), content_type="text/plain")


async def async_stream(request: HttpRequest) -> StreamingHttpResponse:
    calls.append("async_stream")

    async def chunks() -> AsyncIterator[bytes]:
        yield b"achunk1,"
        yield b"achunk2"

    return StreamingHttpResponse(chunks(), content_type="text/plain")


def file(request: HttpRequest) -> FileResponse:
    calls.append("file")
    return FileResponse(io.BytesIO(b"file body"), filename="data.txt", content_type="text/plain")


def post(request: HttpRequest) -> HttpResponse:
    calls.append("post")
    return HttpResponse("posted")


@require_POST
def only_post(request: HttpRequest) -> HttpResponse:
    calls.append("only_post")
    return HttpResponse("only post")


@login_required
def private(request: HttpRequest) -> HttpResponse:
    calls.append("private")
    return HttpResponse("secret")


@cross_origin(origins=["https://view.example"], credentials=False, exposed_headers=["X-View"], max_age=None)
def view_policy(request: HttpRequest) -> HttpResponse:
    calls.append("view_policy")
    response = HttpResponse("view policy")
    response["X-View"] = "1"
    return response


@cross_origin(origins=["https://view.example"], credentials=False, exposed_headers=["X-View"], max_age=None)
async def async_view_policy(request: HttpRequest) -> HttpResponse:
    calls.append("async_view_policy")
    response = HttpResponse("async view policy")
    response["X-View"] = "1"
    return response


@method_decorator(cross_origin(origins=["https://cbv.example"], methods=["GET", "PUT"]), name="dispatch")
class DecoratedView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        calls.append("DecoratedView.get")
        return HttpResponse("cbv get")

    def put(self, request: HttpRequest) -> HttpResponse:
        calls.append("DecoratedView.put")
        return HttpResponse("cbv put")


class PlainView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        calls.append("PlainView.get")
        return HttpResponse("plain get")
