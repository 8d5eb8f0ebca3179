"""The compat checks' IDs: django-cors-headers' own where the peer has that kind of problem, ours otherwise.

One ID per kind of problem (the peer's ``corsheaders.E013`` also meant a
removed setting; here that one is ``django_ext.compat.E001``).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CHECK_IDS"]

#: Every ID the compat checks report: ID -> what it means.
CHECK_IDS: Mapping[str, str] = {
    "corsheaders.E001": "CORS_ALLOW_HEADERS is not a sequence of strings",
    "corsheaders.E002": "CORS_ALLOW_METHODS is not a sequence of strings",
    "corsheaders.E003": "CORS_ALLOW_CREDENTIALS is not a bool",
    "corsheaders.E004": "CORS_PREFLIGHT_MAX_AGE is not an integer >= 0",
    "corsheaders.E005": "CORS_ALLOW_ALL_ORIGINS (CORS_ORIGIN_ALLOW_ALL) is not a bool",
    "corsheaders.E006": "CORS_ALLOWED_ORIGINS (CORS_ORIGIN_WHITELIST) is not a sequence of strings",
    "corsheaders.E007": "CORS_ALLOWED_ORIGIN_REGEXES (CORS_ORIGIN_REGEX_WHITELIST) is not a sequence of strings "
    "and compiled regexes",
    "corsheaders.E008": "CORS_EXPOSE_HEADERS is not a sequence of strings",
    "corsheaders.E009": "CORS_URLS_REGEX is not a string or a compiled str regex",
    "corsheaders.E012": "CORS_MODEL is set: the setting was removed",
    "corsheaders.E013": "an origin in CORS_ALLOWED_ORIGINS has no scheme",
    "corsheaders.E014": "an origin in CORS_ALLOWED_ORIGINS has a path, query or fragment",
    "corsheaders.E015": "CORS_ALLOW_PRIVATE_NETWORK is not a bool",
    "django_ext.compat.E001": "CORS_REPLACE_HTTPS_REFERER is set: the setting was removed",
    "django_ext.compat.E002": "an origin in CORS_ALLOWED_ORIGINS has no host",
    "django_ext.compat.E003": "'*' inside CORS_ALLOWED_ORIGINS: it matches no origin (it is not a wildcard)",
    "django_ext.compat.E004": "an entry of CORS_ALLOWED_ORIGINS is not an origin (whitespace, user info, a bad host "
    "or port, 'file://')",
    "django_ext.compat.E005": "a regex refused: invalid, without a literal scheme, or prone to catastrophic "
    "backtracking (CORS_ALLOWED_ORIGIN_REGEXES, CORS_URLS_REGEX)",
    "django_ext.compat.E006": "CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS: every site would get the "
    "user's cookies",
    "django_ext.compat.E007": "a name in CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS or CORS_EXPOSE_HEADERS is not an "
    "HTTP token",
    "django_ext.compat.E008": "a combination of settings the engine refuses for a reason no check above names "
    "(the message names the setting and why; the hint, what to write)",
    "django_ext.compat.W001": "a CORS_* setting nobody reads (misspelt?): the hint names the closest one",
    "django_ext.compat.W002": "a configuration the engine accepts but warns about (a forbidden header name)",
    "django_ext.compat.W003": "the compat middleware sits below a middleware that can answer or replace a "
    "response first (CommonMiddleware, the cache middlewares, ...)",
}
