"""The Django app: ``INSTALLED_APPS += ["django_ext"]`` registers the system checks."""

from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class CORSConfig(AppConfig):
    name = "django_ext"
    label = "django_ext"
    verbose_name = "CORS (corsgate)"

    def ready(self) -> None:
        from .checks import check_settings
        from .compat.checks import check_settings as check_compat_settings
        from .ordering import check_middleware

        checks.register(check_settings, checks.Tags.security)
        checks.register(check_middleware, checks.Tags.security)
        checks.register(check_compat_settings, checks.Tags.security)
