"""Minimal Django settings for the test project (loaded by every pytest run: keep it light)."""

from __future__ import annotations

SECRET_KEY = "tests-only"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django_ext",
]
MIDDLEWARE: list[str] = [
    "django_ext.middleware.CORSMiddleware",
    # Records every request that gets past CORSMiddleware (nothing below it may see a preflight).
    "tests.django_project.middleware.Recorder",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.django_project.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LOGIN_URL = "/login/"

CORS = {
    "origins": ["https://app.example", "https://*.trusted.example"],
    "credentials": True,
    "methods": ["GET", "POST"],
    "headers": ["Content-Type", "X-Token"],
    "exposed_headers": ["X-App"],
    "max_age": 600,
}
