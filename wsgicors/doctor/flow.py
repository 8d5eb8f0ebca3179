"""Playing the browser's part: preflight, actual request, redirects followed by hand, each hop judged.

Fetch "main fetch", "HTTP fetch" and "HTTP-redirect fetch", with Chromium's
choices: a redirected preflight fails, each redirect answer gets the CORS check,
a cross-origin hop from a URL not of the page's origin taints the request
(its origin becomes ``null``), and after a failure nothing more is sent.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urljoin

from ..suffixes import registrable_domain
from .checks import Failure, access_check, header, is_redirect, preflight_check, readable_headers
from .deadline import DeadlineExceeded
from .door import describe_transport
from .findings import collect_findings
from .outcome import Blocked, Outcome, Step
from .request import Origin, PageRequest, Url, parse_url, preflight_reasons, unsafe_header_names
from .transport import Transport, TransportError

__all__ = ["MAX_REDIRECTS", "USER_AGENT", "diagnose", "site_of"]

MAX_REDIRECTS = 20  # Fetch "HTTP-redirect fetch" step 5
USER_AGENT = "cors-doctor/1 (a model of Chromium's CORS checks)"
_BODY_HEADERS = frozenset({"content-encoding", "content-language", "content-location", "content-type"})


def site_of(host: str) -> str:
    """The host's site for Sec-Fetch-Site: its registrable domain by the Public Suffix List
    (``a.github.io`` and ``b.github.io`` are two sites); an IP address stands for itself."""
    return registrable_domain(host)


def _fetch_site(origin: Origin, tainted: bool, url: Url) -> str:
    if origin.opaque or tainted:
        return "cross-site"
    if origin.same_origin(url.origin):
        return "same-origin"
    return "same-site" if origin.scheme == url.scheme and site_of(origin.host) == site_of(url.host) else "cross-site"


def _common(origin_value: str, request: PageRequest, tainted: bool, url: Url) -> list[tuple[str, str]]:
    headers = [("Origin", origin_value), ("User-Agent", USER_AGENT)]
    headers += [("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Site", _fetch_site(request.origin, tainted, url))]
    headers.append(("Sec-Fetch-Dest", "empty"))
    if not request.origin.opaque:
        headers.append(("Referer", request.origin.serialise() + "/"))  # strict-origin-when-cross-origin
    return headers


class _Run:
    """One diagnosis in progress: the current hop and what has been sent so far."""

    def __init__(self, request: PageRequest, transport: Transport) -> None:
        self.request = request
        self.transport = transport
        self.outcome = Outcome(request, preflight_reasons(request.method, request.headers))
        self.first_url = request.url.serialise()
        self.url = request.url
        self.method = request.method
        self.headers = list(request.headers)
        self.body = request.body
        self.tainted = False
        self.cors = False
        self.redirects = 0  # followed so far

    @property
    def origin_value(self) -> str:
        return "null" if self.tainted or self.request.origin.opaque else self.request.origin.serialise()

    def block(self, failure: Failure, step: Step | None, net_error: str = "", detail: str = "") -> Outcome:
        url = step.url if step is not None else self.url.serialise()
        # Chromium's console names the page's origin, also once a redirect tainted the request.
        shown = self.request.origin.serialise()
        self.outcome.blocked = Blocked(
            failure, url, self.first_url, shown, self.request.initiator, step, net_error, detail
        )
        if step is not None:
            step.result = "fail"
        return self.outcome

    def send(self, step: Step, body: bytes | None) -> TransportError | None:
        self.outcome.steps.append(step)
        try:
            step.response = self.transport.send(step.method, self.url, step.request_headers, body)
        except DeadlineExceeded as exc:  # name the step that ran out
            after = f", after {self.redirects} redirect{'s' if self.redirects > 1 else ''}" if self.redirects else ""
            where = f"during the {step.kind} request {step.method} {step.url}{after}"
            return TransportError(exc.net_error, f"{exc.detail} {where}")
        except TransportError as exc:
            return exc
        return None

    def preflight(self) -> Outcome | None:
        """Send the OPTIONS Chromium would and judge its answer; an Outcome if it failed."""
        headers = [("Accept", "*/*"), ("Access-Control-Request-Method", self.method)]
        names = list(unsafe_header_names(self.headers))
        if names:
            headers.append(("Access-Control-Request-Headers", ",".join(names)))
        headers += _common(self.origin_value, self.request, self.tainted, self.url)
        step = Step("preflight", "OPTIONS", self.url.serialise(), headers)
        error = self.send(step, None)
        if error is not None:
            return self.block(Failure("transport"), step, error.net_error, error.detail)
        assert step.response is not None
        hop = replace(self.request, method=self.method, headers=self.headers)
        failure = preflight_check(step.response, hop, self.origin_value)
        return self.block(failure, step) if failure is not None else None

    def actual(self, cross: bool) -> Step | Outcome:
        headers = [("Accept", "*/*"), *self.headers]
        if self.body is not None and not any(name.lower() == "content-type" for name, _ in headers):
            headers.append(("Content-Type", "text/plain;charset=UTF-8"))
        headers += _common(self.origin_value, self.request, self.tainted, self.url)
        cookies = self.request.include or (self.request.credentials == "same-origin" and not cross)
        if cookies and self.request.cookie and self.url.host == self.request.url.host:
            headers.append(("Cookie", self.request.cookie))
        step = Step("actual", self.method, self.url.serialise(), headers, cors=cross)
        error = self.send(step, self.body)
        if error is not None:
            return self.block(Failure("transport"), step, error.net_error, error.detail)
        return step

    def follow(self, step: Step, cross: bool) -> Outcome | None:
        """Move to the redirect's target (Fetch "HTTP-redirect fetch"); an Outcome if that fails."""
        assert step.response is not None
        location = header(step.response, "location") or ""
        target = location.strip()
        try:
            target = urljoin(self.url.serialise(), target)  # ValueError: 'http://[x' is no URL
            new = parse_url(target)
        except ValueError:  # UsageError included
            scheme = target.partition(":")[0].lower()
            if cross and scheme.isalpha() and scheme not in ("http", "https"):
                return self.block(Failure("CorsDisabledScheme", target), step)
            return self.block(Failure("transport"), step, "ERR_INVALID_REDIRECT", f"Location {location!r}")
        if new.userinfo and (cross or self.tainted or not self.request.origin.same_origin(new.origin)):
            # Chromium quotes an empty location in this message; the report's "Why" names it.
            return self.block(Failure("RedirectContainsCredentials"), step, detail=f"Location: {target}")
        status = step.response.status
        if (status in (301, 302) and self.method == "POST") or (status == 303 and self.method not in ("GET", "HEAD")):
            self.method, self.body = "GET", None
            self.headers = [(n, v) for n, v in self.headers if n.lower() not in _BODY_HEADERS]
        if not self.url.origin.same_origin(new.origin):
            self.headers = [(n, v) for n, v in self.headers if n.lower() != "authorization"]
            if not self.request.origin.same_origin(self.url.origin):
                self.tainted = True  # Fetch "HTTP-redirect fetch": the request's tainted origin flag
        self.url = new
        self.redirects += 1
        return None

    def run(self) -> Outcome:
        for _ in range(MAX_REDIRECTS + 1):
            cross = self.tainted or not self.request.origin.same_origin(self.url.origin)
            self.cors = self.cors or cross
            if cross and preflight_reasons(self.method, self.headers):
                failed = self.preflight()
                if failed is not None:
                    return failed
            sent = self.actual(cross)
            if isinstance(sent, Outcome):
                return sent
            assert sent.response is not None
            redirect = is_redirect(sent.response)
            if redirect:
                sent.kind = "redirect"
            if cross:
                failure = access_check(sent.response, self.origin_value, self.request.include)
                if failure is not None:
                    return self.block(failure, sent)
            if not redirect:
                response = sent.response
                self.outcome.readable = (
                    readable_headers(response, self.request.include)
                    if self.cors
                    else {k.lower(): header(response, k.lower()) or "" for k, _ in response.headers
                          if k.lower() not in ("set-cookie", "set-cookie2")}
                )  # fmt: skip
                return self.outcome
            failed = self.follow(sent, cross)
            if failed is not None:
                return failed
        return self.block(Failure("transport"), None, "ERR_TOO_MANY_REDIRECTS", f"more than {MAX_REDIRECTS} redirects")


def diagnose(request: PageRequest, transport: Transport) -> Outcome:
    """Send what the browser would send for ``request`` and judge every answer as Chromium does."""
    run = _Run(request, transport)
    outcome = run.run()
    outcome.cors = run.cors
    outcome.door = describe_transport(transport)
    outcome.findings = collect_findings(outcome, run.tainted)
    return outcome
