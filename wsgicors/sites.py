"""Which names anyone can register a site under: the one rule for wildcards and origin regexes.

A wildcard or regex whose free part can produce a whole label right under such
a name lets in sites other people own. The names are the public suffixes of the
Public Suffix List (:mod:`wsgicors.suffixes`), ICANN and private sections alike
(``com``, ``co.uk``, ``github.io``, ``vercel.app``), and any top-level domain the
list does not know, but for the special-use names no registry ever delegates
(RFC 6761, RFC 2606): ``localhost``, whose names resolve to the loopback address
(so ``http://*.localhost`` names this machine only), and ``test``, ``example``
and ``invalid``. Other unlisted names (``local``, claimed by anyone on the
network through mDNS, ``internal``, ``corp``) stay open: ``*.corp.internal`` is
fine, ``*.internal`` is not.
"""

from __future__ import annotations

from .suffixes import is_ip_literal, is_public_suffix, public_suffix_below

__all__ = ["LOOPBACK_NAMES", "RESERVED_NAMES", "anchors_a_site", "open_suffix", "own_name_fix", "own_name_under"]

#: Names whose subdomains are this machine (RFC 6761, section 6.3: they resolve to loopback).
LOOPBACK_NAMES = frozenset({"localhost"})
#: Top-level names no registry delegates (RFC 6761, RFC 2606): no one can register under them.
RESERVED_NAMES = LOOPBACK_NAMES | {"test", "example", "invalid"}


def open_suffix(name: str) -> bool:
    """Can anyone register a name directly under ``name`` (``github.io``: yes; ``example.com``: no)?"""
    name = name.lower().rstrip(".")
    return name not in RESERVED_NAMES and is_public_suffix(name)


def anchors_a_site(name: str) -> bool:
    """Is every name under ``name`` owned by whoever owns ``name``?

    True for a DNS name that is not an open suffix and has none under it (``example.com``,
    ``myapp.github.io``, ``localhost``); False for an open suffix, a name with one under it
    (``amazonaws.com``: ``s3.amazonaws.com``), a name with an empty label, and an IP address
    or anything ending in a numeric label (an IPv4 address to the URL parser).
    """
    labels = name.split(".")
    if not all(labels) or labels[-1].isdigit() or is_ip_literal(name):
        return False
    return not open_suffix(name) and public_suffix_below(name) is None


def own_name_fix(scheme: str, suffix: str, port: str) -> str:
    """The fix for a wildcard or regex over the open ``suffix``: a name one owner holds, alone or with subdomains."""
    own = own_name_under(suffix)
    return (
        f"name a domain you own under it: write '{scheme}://{own}{port}' for that origin exactly, "
        f"or write '{scheme}://*.{own}{port}' for its subdomains"
    )


def own_name_under(suffix: str) -> str:
    """A name one owner can hold under the open ``suffix``, for the fixes messages suggest
    (``myapp.github.io``; ``example.com`` under ``com``; ``myapp.x.nagoya.jp`` under a wildcard rule)."""
    first = "example." if "." not in suffix else "myapp."
    for name in (first + suffix, first + "x." + suffix, first + "x.x." + suffix):
        if anchors_a_site(name):
            return name
    return "example.com"
