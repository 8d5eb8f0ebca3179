"""A URLconf whose one cross_origin view has three bad options (each gets its own check error)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from django_ext.decorators import cross_origin


@cross_origin(max_age=-5, headers=7, preflight_status=404)  # type: ignore[arg-type]  # the types are wrong too
def many(request: HttpRequest) -> HttpResponse:
    return HttpResponse("many")


urlpatterns: list[URLPattern] = [path("many/", many)]
