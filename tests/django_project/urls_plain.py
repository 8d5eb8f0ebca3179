"""A URLconf without any cross_origin view."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [path("ok/", views.ok)]
