"""The CORS doctor: ask any server what Chromium would do with a page's request, and why.

It builds the requests Chromium would send, judges the answers with its own
model of the Fetch Standard and of Chromium's checks (never the wsgicors
engine's), and reports the verdict, the exact console error, why, and the fix.
``python -m wsgicors.doctor URL --origin ORIGIN`` (``cors-doctor``); see ``cli``.
"""

from .checks import Failure, Response
from .flow import diagnose
from .outcome import Blocked, Finding, Outcome, Step
from .request import Origin, PageRequest, Url, UsageError, parse_origin, parse_url

__all__ = [
    "Blocked",
    "Failure",
    "Finding",
    "Origin",
    "Outcome",
    "PageRequest",
    "Response",
    "Step",
    "Url",
    "UsageError",
    "diagnose",
    "parse_origin",
    "parse_url",
]
