"""What ``credentials=True`` may not go with, in ``origins``.

With credentials, the answer hands a page the user's cookies for this site, so
an origin that any site can take on is refused: ``'*'`` (Kong reflects any
origin here) and ``'null'``, which any site sends from a sandboxed iframe. A
plain-HTTP wildcard is warned about: a network attacker can play any of its
subdomains. :class:`~wsgicors.policy.Policy` calls this for every policy, routes included.
"""

from __future__ import annotations

import warnings

from .errors import CORSConfigError
from .options import CORSConfigWarning
from .origins import OriginMatcher
from .sites import LOOPBACK_NAMES

__all__ = ["check_credentialed_origins"]


def check_credentialed_origins(matcher: OriginMatcher, origins: object, credentials: bool) -> None:
    """What ``credentials=True`` may not go with: ``'*'`` and ``'null'`` (errors), and a
    plain-HTTP wildcard (a :class:`~wsgicors.options.CORSConfigWarning`)."""
    if not credentials:
        return
    if matcher.any:
        raise CORSConfigError(
            "origins",
            origins,
            "'*' with credentials=True would hand every site the user's "
            "cookies (Kong reflects any origin here; we refuse)",
            "list the trusted origins explicitly, or set credentials=False",
        )
    if "null" in matcher.exact:
        raise CORSConfigError(
            "origins",
            origins,
            "'null' with credentials=True hands the user's cookies to any site: every site can "
            "send 'Origin: null' from a sandboxed iframe (so can data: URLs and file: pages)",
            "remove 'null' from origins, or set credentials=False",
        )
    for prefix, suffix, _ in matcher.wildcards:
        base = suffix[1:].split(":")[0]
        if prefix == "http://" and base not in LOOPBACK_NAMES and not base.endswith(".localhost"):
            warnings.warn(
                f"CORS option 'origins': 'http://*{suffix}' with credentials=True lets every plain-HTTP "
                "subdomain read the user's credentialed answers, and a network attacker can play any of "
                f"them (no TLS): write 'https://*{suffix}'",
                CORSConfigWarning,
                stacklevel=3,
            )
