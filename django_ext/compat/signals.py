"""django-cors-headers' ``check_request_enabled`` signal, for origin lists only known at request time.

Receivers are called as ``receiver(sender=None, request=request)`` with the
request object itself; any truthy answer allows the request's origin. The
compat middleware sends it at most once per request, and only for a
well-formed Origin its settings do not already allow.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["check_request_enabled"]

check_request_enabled = Signal()
