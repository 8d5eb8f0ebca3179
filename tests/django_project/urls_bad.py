"""A URLconf with cross_origin views whose options the checks refuse."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, include, path

from django_ext.decorators import cross_origin


@cross_origin(origins=["*"])  # the project's CORS setting has credentials=True
def wildcard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("wildcard")


@cross_origin(max_age="one hour")
def bad_max_age(request: HttpRequest) -> HttpResponse:
    return HttpResponse("bad")


urlpatterns: list[URLPattern | object] = [
    path("wildcard/", wildcard),
    path("nested/", include([path("bad/", bad_max_age)])),
]
