"""asgi_ext.compat: Starlette's arguments, the engine's decisions, Starlette's representation.

The same requests go through Starlette's own CORSMiddleware and the compat layer:
status, body and headers agree, but for what Starlette sends to an origin it does
not allow (its Access-Control-* lines without Allow-Origin), which the engine never
sends. What Starlette does unsafely is refused at start-up, and each fix, pasted
back, is accepted.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.middleware.cors import CORSMiddleware as StarletteCORS

from asgi_ext import CORSMiddleware as Door
from asgi_ext.compat import ALL_METHODS, CORSMiddleware
from wsgicors import CORSConfigError

from .asgi import EVIL, A, Recorder, http_scope, request, run

VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"

CONFIGS: list[dict[str, Any]] = [
    {},
    {"allow_origins": [A]},
    {"allow_origins": ["*"]},
    {"allow_origins": ["*"], "allow_methods": ["*"], "allow_headers": ["*"], "expose_headers": ["X-Total"]},
    {
        "allow_origins": [A],
        "allow_credentials": True,
        "allow_headers": ["X-Token"],
        "allow_methods": ["GET", "POST"],
        "max_age": 60,
    },
    {"allow_origin_regex": r"https://[a-z]+\.example\.(org|com)", "allow_credentials": True},
    {"allow_origins": [A], "allow_private_network": True, "allow_headers": ["*"]},
    {"allow_origins": [A, "https://b.example.com"], "allow_origin_regex": r"https://[a-z]+\.example\.net"},
]
PRE = ("access-control-request-method", "GET")
REQUESTS: list[tuple[str, list[tuple[str, str]]]] = [
    ("GET", []),
    ("GET", [("origin", A)]),
    ("GET", [("origin", EVIL)]),
    ("GET", [("origin", "null")]),
    ("POST", [("origin", A)]),
    ("OPTIONS", [("origin", A)]),
    ("OPTIONS", [PRE]),
    ("OPTIONS", [("origin", A), PRE]),
    ("OPTIONS", [("origin", A), ("access-control-request-method", "PUT")]),
    ("OPTIONS", [("origin", A), ("access-control-request-method", "QUERY")]),
    ("OPTIONS", [("origin", A), PRE, ("access-control-request-headers", "X-Token, Content-Type")]),
    ("OPTIONS", [("origin", A), PRE, ("access-control-request-headers", "X-Nope, x-other")]),
    ("OPTIONS", [("origin", EVIL), ("access-control-request-method", "POST"), ("access-control-request-headers", "X")]),
    ("OPTIONS", [("origin", A), PRE, ("access-control-request-private-network", "true")]),
]


def _answer(app: Any, method: str, headers: list[tuple[str, str]]) -> tuple[int, bytes, list[tuple[str, str]]]:
    sent = run(app, http_scope(method, "/", headers))
    return sent.status, sent.body, sorted(sent.headers)


@pytest.mark.parametrize("config", CONFIGS, ids=[repr(c) for c in CONFIGS])
def test_the_compat_layer_answers_what_starlette_answers(config: dict[str, Any]) -> None:
    ours = CORSMiddleware(Recorder(), **config)
    theirs = StarletteCORS(Recorder(), **config)
    for method, headers in REQUESTS:
        want_status, want_body, want = _answer(theirs, method, headers)
        if "access-control-allow-origin" not in dict(want):
            # Starlette's Allow-Methods/-Headers/-Credentials/-Expose-Headers to an origin it does not allow:
            # the engine sends no Access-Control-* header to a refused origin.
            want = [(k, v) for k, v in want if not k.startswith("access-control-")]
        assert _answer(ours, method, headers) == (want_status, want_body, want), (method, headers)


def test_preflight_representation() -> None:
    door = CORSMiddleware(Recorder(), allow_origins=[A], allow_headers=["X-Example", "Content-Type"])
    ok = request(door, "OPTIONS", origin=A, access_control_request_method="GET")
    assert (ok.status, ok.body, ok.get("vary")) == (200, b"OK", VARY)
    assert (
        ok.get("access-control-allow-headers") == "Accept, Accept-Language, Content-Language, Content-Type, X-Example"
    )
    assert ok.get("content-type") == "text/plain; charset=utf-8" and ok.get("content-length") == "2"
    refused = request(
        door,
        "OPTIONS",
        origin=EVIL,
        access_control_request_method="POST",
        access_control_request_headers="X-Nope",
        access_control_request_private_network="true",
    )
    assert (refused.status, refused.body) == (400, b"Disallowed CORS origin, method, headers, private-network")
    assert refused.cors() == {}


def test_star_headers_are_echoed_as_sent_and_star_methods_are_starlettes_list() -> None:
    door = CORSMiddleware(Recorder(), allow_origins=[A], allow_headers=["*"], allow_methods=["*"])
    sent = request(
        door,
        "OPTIONS",
        origin=A,
        access_control_request_method="QUERY",
        access_control_request_headers="X-Example, Content-Type",
    )
    assert sent.get("access-control-allow-headers") == "X-Example, Content-Type"
    assert sent.get("access-control-allow-methods") == ", ".join(ALL_METHODS)
    malformed = request(
        door,
        "OPTIONS",
        origin=A,
        access_control_request_method="GET",
        access_control_request_headers="X-Ok, bad header",
    )
    assert malformed.status == 200 and malformed.get("access-control-allow-headers") is None


def test_preflight_answers_are_remembered_and_bounded() -> None:
    door = CORSMiddleware(Recorder(), allow_origins=[A], allow_headers=["*"])
    for index in range(3000):
        request(
            door, "OPTIONS", origin=A, access_control_request_method="GET", access_control_request_headers=f"x-{index}"
        )
    assert 0 < len(door._answers) <= 1024
    long = "x-" + "a" * 300
    sent = request(door, "OPTIONS", origin=A, access_control_request_method="GET", access_control_request_headers=long)
    assert sent.get("access-control-allow-headers") == long
    assert all(key[2] != long for key in door._answers)


def test_beyond_starlette_websocket_check_and_the_500() -> None:
    async def raising(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    sent: list[Any] = []

    async def record(scope: Any, receive: Any, send: Any) -> None:
        async def keep(message: Any) -> None:
            sent.append(message)

        await CORSMiddleware(raising, allow_origins=[A])(scope, receive, keep)

    with pytest.raises(RuntimeError):
        run(record, http_scope("GET", "/", [("origin", A)]))
    assert sent[0]["status"] == 500 and (b"access-control-allow-origin", A.encode()) in sent[0]["headers"]
    socket = http_scope(path="/ws", headers=[("host", "api.example.com"), ("origin", EVIL)], scope_type="websocket")
    closed = run(CORSMiddleware(Recorder(), allow_origins=[A]), socket, [{"type": "websocket.connect"}])
    assert closed.messages == [{"type": "websocket.close", "code": 1008}]


def _kwargs(fix: str) -> dict[str, Any]:
    """The keyword arguments a fix names (``a=1, b=[...]``), as a user pastes them."""
    code = re.sub(r"\s*\(asgi_ext\.CORSMiddleware\).*", "", fix.removeprefix("list the trusted origins: "))
    return eval(f"dict({code})")  # the project's own message, in a test


def test_star_with_credentials_is_refused_and_the_fix_is_accepted() -> None:
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), allow_origins=["*"], allow_credentials=True)
    assert refused.value.option == "allow_credentials"
    assert "Starlette reflects any Origin" in str(refused.value)
    fixed = CORSMiddleware(Recorder(), **_kwargs(refused.value.fix))
    assert request(fixed, origin="https://app.example.com").get("access-control-allow-credentials") == "true"


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"allow_origins": "https://app.example.com"}, "allow_origins"),
        ({"allow_methods": "GET"}, "allow_methods"),
        ({"allow_headers": "X-Token"}, "allow_headers"),
        ({"expose_headers": "X-Total"}, "expose_headers"),
        ({"allow_origins": ["https://*.example.com"]}, "allow_origins"),
        ({"allow_origins": ["~https://.*"]}, "allow_origins"),
        ({"allow_origin_regex": re.compile("https://a")}, "allow_origin_regex"),
    ],
)
def test_values_starlette_misreads_are_refused_and_the_fix_is_accepted(kwargs: dict[str, Any], argument: str) -> None:
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), **kwargs)
    assert refused.value.option == argument
    CORSMiddleware(Recorder(), **_kwargs(refused.value.fix))


@pytest.mark.parametrize(
    ("kwargs", "argument", "value"),
    [
        ({"allow_origin_regex": r"https://.*\.example.org"}, "allow_origin_regex", r"https://.*\.example.org"),
        ({"allow_origin_regex": r"https://([a-z]+)+\.example\.org"}, "allow_origin_regex", None),
        ({"allow_origins": ["example.com"]}, "allow_origins", "example.com"),
        ({"allow_methods": ["GET POST"]}, "allow_methods", "GET POST"),
        ({"max_age": -1}, "max_age", -1),
        ({"allow_credentials": "yes"}, "allow_credentials", "yes"),
    ],
)
def test_engine_refusals_name_starlettes_argument(kwargs: dict[str, Any], argument: str, value: object) -> None:
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), **kwargs)
    assert refused.value.option == argument
    if value is not None:
        assert refused.value.value == value
    assert re.search(r"\b(origins|methods|headers|credentials|exposed_headers)=", refused.value.fix) is None


def test_the_engines_fix_for_a_regex_is_accepted() -> None:
    door = CORSMiddleware(Recorder(), allow_origin_regex=r"https://.*\.example\.org")
    assert request(door, origin="https://a.example.org").get("access-control-allow-origin") == "https://a.example.org"
    assert request(door, origin="https://a.example.org.evil.com").cors() == {}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("allow_origins", [A]),
        ("allow_origin_regex", r"https://[a-z]+\.example\.com"),
        ("allow_methods", ["*"]),
        ("allow_headers", ["X-Token"]),
        ("allow_credentials", True),
        ("allow_private_network", True),
        ("expose_headers", ["X-Total"]),
    ],
)
def test_the_native_door_names_its_option_for_starlettes_argument(name: str, value: object) -> None:
    with pytest.raises(CORSConfigError) as refused:
        Door(Recorder(), **{name: value})
    assert refused.value.option == name and "asgi_ext.compat.CORSMiddleware" in refused.value.fix
    kwargs = _kwargs(refused.value.fix)
    if kwargs.get("credentials"):
        kwargs["origins"] = [A]
    Door(Recorder(), **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "fixed"),
    [
        ({"allow_origins": ["https://a.example"], "allow_credentials": "false"}, {"allow_credentials": False}),
        ({"allow_origins": ["https://a.example"], "allow_credentials": "true"}, {"allow_credentials": True}),
        ({"allow_origins": ["https://a.example"], "allow_private_network": "0"}, {"allow_private_network": False}),
    ],
)
def test_a_string_switch_is_refused_with_the_value_meant(kwargs: dict[str, Any], fixed: dict[str, Any]) -> None:
    (argument,) = fixed
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), **kwargs)
    assert refused.value.option == argument
    assert refused.value.fix == f"{argument}={fixed[argument]}"
    CORSMiddleware(Recorder(), **{**kwargs, **fixed})


@pytest.mark.parametrize(
    "regex",
    [
        r"https://.*\.github\.io",
        r"https://[a-z0-9-]+\.vercel\.app",
        r"https://.*example\.com",
        r"https://a\.example\.com.*",
    ],
)
def test_an_origin_regex_anyone_can_satisfy_gets_starlette_values_that_paste_back(regex: str) -> None:
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), allow_origin_regex=regex)
    assert refused.value.option == "allow_origin_regex"
    assert "'~" not in refused.value.fix and "*." not in refused.value.fix  # no native-only syntax
    suggested = [eval(literal) for literal in re.findall(r"""\br"[^"]*"|'[^']*'""", refused.value.fix)]
    assert suggested
    for value in suggested:  # an exact origin goes in allow_origins, a pattern in allow_origin_regex
        argument = "allow_origins" if re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]+)?", value) else "allow_origin_regex"
        door = CORSMiddleware(Recorder(), **{argument: [value] if argument == "allow_origins" else value})
        assert request(door, origin="https://attacker.github.io").cors() == {}


def test_null_with_credentials_is_refused_in_starlettes_words() -> None:
    with pytest.raises(CORSConfigError) as refused:
        CORSMiddleware(Recorder(), allow_origins=["https://a.example", "null"], allow_credentials=True)
    assert refused.value.option == "allow_origins"
    assert "sandboxed iframe" in refused.value.problem
    assert "allow_credentials=False" in refused.value.fix
