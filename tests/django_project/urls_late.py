"""A URLconf whose cross_origin view is first imported by a request (see test_decorators)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from django_ext.decorators import cross_origin


@cross_origin(origins=["https://late.example"], credentials=False, exposed_headers=None)
def late(request: HttpRequest) -> HttpResponse:
    return HttpResponse("late")


urlpatterns: list[URLPattern] = [path("late/", late)]
