"""The Public Suffix List: names under which anyone can register a domain.

One list for the whole project (origin validation and the doctor), read from
the maintained ``publicsuffixlist`` package, which is released as the list
changes: ``pip install -U publicsuffixlist`` brings a newer list without a new
release of this project. ICANN and private sections both count, as browsers
read them (``github.io`` and ``co.uk`` are public suffixes alike).
"""

from __future__ import annotations

import ipaddress
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from publicsuffixlist import PSLFILE, PublicSuffixList

__all__ = [
    "is_ip_literal",
    "is_public_suffix",
    "list_version",
    "public_suffix",
    "public_suffix_below",
    "registrable_domain",
]


@cache
def _list() -> PublicSuffixList:
    # Parsed once, on first use (about 40 ms): never on a request's path.
    return PublicSuffixList(accept_unknown=True)


def _clean(host: str) -> str:
    return host.lower().rstrip(".")


def is_ip_literal(host: str) -> bool:
    """Is ``host`` an IPv4 address or a bracketed (or bare) IPv6 address?"""
    try:
        ipaddress.ip_address(host[1:-1] if host.startswith("[") and host.endswith("]") else host)
    except ValueError:
        return False
    return True


def public_suffix(host: str) -> str:
    """The public suffix of ``host`` (``github.io`` for ``a.github.io``); an IP stands for itself."""
    host = _clean(host)
    if is_ip_literal(host):
        return host
    return str(_list().publicsuffix(host) or host)


def is_public_suffix(name: str) -> bool:
    """Is ``name`` itself a public suffix (``com``, ``co.uk``, ``github.io``, an unlisted TLD)?"""
    name = _clean(name)
    return bool(name) and not is_ip_literal(name) and public_suffix(name) == name


def registrable_domain(host: str) -> str:
    """The registrable domain ("site") of ``host``: the public suffix plus one label.

    An IP address, or a host that is itself a public suffix, stands for itself.
    """
    host = _clean(host)
    if is_ip_literal(host):
        return host
    return str(_list().privatesuffix(host) or host)


@cache
def _below() -> dict[str, str]:
    """Each name with a public suffix strictly under it -> one such suffix (``amazonaws.com`` ->
    ``s3.amazonaws.com``), read from the package's own copy of the list (its ``PSLFILE``)."""
    below: dict[str, str] = {}
    with open(PSLFILE, encoding="utf-8") as rules:
        for line in rules:
            rule = line.strip().split(" ")[0]
            if not rule or rule.startswith(("//", "!")):
                continue  # comments; exceptions name what is *not* a suffix
            try:
                labels = rule.encode("idna").decode("ascii").split(".") if not rule.isascii() else rule.split(".")
            except UnicodeError:
                continue
            for i in range(1, len(labels)):
                below.setdefault(".".join(labels[i:]), ".".join(labels))
    return below


def public_suffix_below(name: str) -> str | None:
    """A public suffix strictly under ``name`` (``s3.amazonaws.com`` under ``amazonaws.com``), or None.

    A wildcard over such a ``name`` covers names anyone can register, though ``name`` itself is
    no public suffix.
    """
    return _below().get(_clean(name))


def list_version() -> str:
    """Which list is in use: the ``publicsuffixlist`` package's version (its date is the list's)."""
    try:
        return "publicsuffixlist " + version("publicsuffixlist")
    except PackageNotFoundError:  # pragma: no cover - imported above, so installed
        return "publicsuffixlist (version unknown)"
