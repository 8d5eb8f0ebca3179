"""URLs of the test project."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt

from . import views

urlpatterns: list[URLPattern] = [
    path("ok/", views.ok),
    path("async-ok/", views.async_ok),
    path("api/ok/", views.ok),
    path("app-headers/", views.app_headers),
    path("redirect/", views.redirect),
    path("missing/", views.missing),
    path("forbidden/", views.forbidden),
    path("boom/", views.boom),
    path("async-boom/", views.async_boom),
    path("stream/", views.stream),
    path("async-stream/", views.async_stream),
    path("file/", views.file),
    path("post/", views.post),
    path("post-exempt/", csrf_exempt(views.post)),
    path("private/", views.private),
    path("only-post/", views.only_post),
    path("view-policy/", views.view_policy),
    path("async-view-policy/", views.async_view_policy),
    path("cbv/", views.DecoratedView.as_view()),
    path("plain-cbv/", views.PlainView.as_view()),
]
