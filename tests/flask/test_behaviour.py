"""The Flask door: preflights before routing and hooks, headers on every response."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from wsgiref.validate import validator

import pytest
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    after_this_request,
    request,
    send_file,
    session,
    stream_with_context,
)
from flask.views import MethodView

from flask_ext import CORS, cross_origin

from .conftest import MakeClient
from .util import cors

pytestmark = pytest.mark.filterwarnings("error::wsgiref.validate.WSGIWarning")

A = "https://a.example"
B = "https://b.example"
EVIL = "https://evil.example"
ALL_METHODS = "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT"
PREFLIGHT_VARY = "Origin, Access-Control-Request-Headers"


def preflight(origin: str = A, method: str = "PUT", **extra: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, **extra}


def make_app(**options: Any) -> tuple[Flask, list[str]]:
    """An app whose views record what they (and the hooks) saw in ``seen``."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "test"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: list[str] = []

    @app.before_request
    def auth() -> Response | None:
        seen.append(f"before_request {request.method} {request.path}")
        if request.path.startswith("/private") and request.headers.get("Authorization") != "Bearer ok":
            return Response("login first", status=401)
        return None

    @app.route("/hello", methods=["GET", "POST"])
    def hello() -> str:
        seen.append("hello")
        return "hello"

    @app.route("/private/data", methods=["GET", "PUT"])
    def private() -> str:
        seen.append("private")
        return "secret"

    @app.post("/post-only")
    def post_only() -> str:
        return "posted"

    def no_options() -> str:
        return "no options"

    app.add_url_rule("/no-options", view_func=no_options, methods=["PUT"], provide_automatic_options=False)

    @app.route("/abort")
    def aborts() -> str:
        abort(401)

    @app.route("/teapot")
    def teapot() -> str:
        raise LookupError("no tea")

    @app.errorhandler(LookupError)
    def on_lookup(exc: LookupError) -> tuple[str, int]:
        return "handled", 418

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("unhandled")

    @app.route("/stream")
    def stream() -> Response:
        def generate() -> Iterator[str]:
            seen.append("stream started")
            yield "a="
            yield request.args.get("a", "")

        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.route("/file")
    def file() -> Response:
        return send_file(io.BytesIO(b"file body"), mimetype="text/plain", download_name="f.txt")

    @app.route("/session")
    def with_session() -> str:
        session["seen"] = True
        return "session"

    @app.route("/own-acao")
    def own_acao() -> Response:
        return Response("own", headers={"Access-Control-Allow-Origin": "*", "Vary": "Accept"})

    CORS(app, **options)
    return app, seen


@pytest.fixture
def app_seen() -> tuple[Flask, list[str]]:
    return make_app(origins=[A], exposed_headers=["X-Total"])


ACTUAL_A = {"Access-Control-Allow-Origin": A, "Access-Control-Expose-Headers": "X-Total", "Vary": "Origin"}
PREFLIGHT_A = {
    "Access-Control-Allow-Origin": A,
    "Access-Control-Allow-Methods": ALL_METHODS,
    "Vary": PREFLIGHT_VARY,
}


# -- preflights -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/does/not/exist", "/post-only", "/no-options", "/hello", "/private/data"])
def test_preflight_answered_for_any_url_before_routing_and_hooks(
    make_client: MakeClient, app_seen: tuple[Flask, list[str]], path: str
) -> None:
    app, seen = app_seen
    response = make_client(app).options(path, headers=preflight())
    assert response.status_code == 200
    assert cors(response) == PREFLIGHT_A
    assert response.headers["Content-Type"] == "text/plain"
    assert response.headers["Content-Length"] == "0"
    assert response.data == b""
    assert seen == []  # no before_request hook, no view


def test_auth_hook_still_guards_actual_request_which_gets_headers(
    make_client: MakeClient, app_seen: tuple[Flask, list[str]]
) -> None:
    app, seen = app_seen
    client = make_client(app)
    denied = client.get("/private/data", headers={"Origin": A})
    assert denied.status_code == 401
    assert denied.data == b"login first"
    assert cors(denied) == ACTUAL_A
    allowed = client.get("/private/data", headers={"Origin": A, "Authorization": "Bearer ok"})
    assert allowed.status_code == 200
    assert cors(allowed) == ACTUAL_A
    assert seen == ["before_request GET /private/data", "before_request GET /private/data", "private"]


def test_denied_preflight_has_no_access_control_headers(
    make_client: MakeClient, app_seen: tuple[Flask, list[str]]
) -> None:
    app, seen = app_seen
    response = make_client(app).options("/hello", headers=preflight(EVIL))
    assert response.status_code == 200
    assert cors(response) == {"Vary": PREFLIGHT_VARY}
    assert seen == []


def test_options_without_acrm_is_not_a_preflight_and_reaches_flask(
    make_client: MakeClient, app_seen: tuple[Flask, list[str]]
) -> None:
    app, seen = app_seen
    response = make_client(app).options("/hello", headers={"Origin": A})
    assert response.status_code == 200
    assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert cors(response) == ACTUAL_A
    assert seen == ["before_request OPTIONS /hello"]


def test_preflight_status_204(make_client: MakeClient) -> None:
    app, _ = make_app(origins=[A], preflight_status=204)
    response = make_client(app).options("/nowhere", headers=preflight())
    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    assert cors(response) == PREFLIGHT_A


# -- every kind of response carries the headers -------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        ("GET", "/hello", 200, b"hello"),
        ("GET", "/abort", 401, None),
        ("GET", "/missing", 404, None),
        ("DELETE", "/hello", 405, None),
        ("GET", "/teapot", 418, b"handled"),
        ("GET", "/boom", 500, None),
    ],
)
def test_headers_on_every_status(
    make_client: MakeClient,
    app_seen: tuple[Flask, list[str]],
    method: str,
    path: str,
    status: int,
    body: bytes | None,
) -> None:
    app, _ = app_seen
    response = make_client(app).open(path, method=method, headers={"Origin": A})
    assert response.status_code == status
    if body is not None:
        assert response.data == body
    assert cors(response) == ACTUAL_A
    if status == 405:
        assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]


def test_500_from_error_handler_gets_headers(make_client: MakeClient) -> None:
    app, _ = make_app(origins=[A], exposed_headers=["X-Total"])

    @app.errorhandler(500)
    def on_500(exc: Exception) -> tuple[str, int]:
        return "custom 500", 500

    response = make_client(app).get("/boom", headers={"Origin": A})
    assert response.status_code == 500
    assert response.data == b"custom 500"
    assert cors(response) == ACTUAL_A


def test_denied_origin_gets_vary_only(make_client: MakeClient, app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    for path, status in [("/hello", 200), ("/missing", 404), ("/boom", 500)]:
        response = make_client(app).get(path, headers={"Origin": EVIL})
        assert response.status_code == status
        assert cors(response) == {"Vary": "Origin"}


def test_request_without_origin_gets_vary_only(make_client: MakeClient, app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    response = make_client(app).get("/hello")
    assert response.data == b"hello"
    assert cors(response) == {"Vary": "Origin"}


def test_stream_with_context(make_client: MakeClient, app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    response = make_client(app).get("/stream?a=1", headers={"Origin": A})
    assert response.status_code == 200
    assert response.data == b"a=1"
    assert cors(response) == ACTUAL_A


def test_stream_is_not_buffered(app_seen: tuple[Flask, list[str]]) -> None:
    """Headers are sent when start_response is called, before the body runs."""
    app, seen = app_seen
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder("/stream?a=2", headers={"Origin": A}).get_environ()
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers))
        return lambda data: None

    body = validator(app)(environ, start_response)
    try:
        assert "stream started" not in seen
        chunks = iter(body)
        first = next(chunks)
        assert started[0][0] == "200 OK"
        assert ("Access-Control-Allow-Origin", A) in started[0][1]
        assert first == b"a="
        assert seen[-1] == "stream started"
        assert b"".join(chunks) == b"2"
    finally:
        body.close()  # type: ignore[attr-defined]


def test_send_file(make_client: MakeClient, app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    response = make_client(app).get("/file", headers={"Origin": A})
    assert response.status_code == 200
    assert response.data == b"file body"
    assert response.headers["Content-Length"] == "9"
    assert cors(response) == ACTUAL_A


def test_send_file_keeps_wsgi_file_wrapper(app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    from werkzeug.test import EnvironBuilder

    class Wrapper:
        def __init__(self, f: Any, block_size: int = 8192) -> None:
            self.f = f

        def __iter__(self) -> Iterator[bytes]:
            yield self.f.read()

        def close(self) -> None:
            self.f.close()

    environ = EnvironBuilder("/file", headers={"Origin": A}).get_environ()
    environ["wsgi.file_wrapper"] = Wrapper
    headers: list[tuple[str, str]] = []
    body = app(environ, lambda status, h, exc_info=None: headers.extend(h))  # type: ignore[arg-type,func-returns-value,return-value]
    assert isinstance(body, Wrapper)
    assert list(body) == [b"file body"]
    body.close()
    assert ("Access-Control-Allow-Origin", A) in headers


def test_session_vary_cookie_is_merged(make_client: MakeClient, app_seen: tuple[Flask, list[str]]) -> None:
    app, _ = app_seen
    response = make_client(app).get("/session", headers={"Origin": A})
    assert "session=" in response.headers["Set-Cookie"]
    assert cors(response) == {**ACTUAL_A, "Vary": "Cookie, Origin"}


def test_app_headers_replaced_not_doubled_and_vary_merged(
    make_client: MakeClient, app_seen: tuple[Flask, list[str]]
) -> None:
    app, _ = app_seen
    response = make_client(app).get("/own-acao", headers={"Origin": A})
    assert cors(response) == {**ACTUAL_A, "Vary": "Accept, Origin"}


def test_after_request_hooks_still_run_on_actual_requests(make_client: MakeClient) -> None:
    app, _ = make_app(origins=[A])

    @app.after_request
    def stamp(response: Response) -> Response:
        response.headers["X-Stamp"] = "1"
        response.vary.add("Accept-Language")
        return response

    response = make_client(app).get("/hello", headers={"Origin": A})
    assert response.headers["X-Stamp"] == "1"
    assert cors(response) == {"Access-Control-Allow-Origin": A, "Vary": "Accept-Language, Origin"}
    answered = make_client(app).options("/hello", headers=preflight())
    assert "X-Stamp" not in answered.headers


def test_wildcard_policy_needs_no_vary(make_client: MakeClient) -> None:
    app, _ = make_app()
    client = make_client(app)
    for headers in ({"Origin": A}, {}):
        response = client.get("/hello", headers=headers)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Vary" not in response.headers
    assert client.get("/session", headers={"Origin": A}).headers["Vary"] == "Cookie"


def test_credentials(make_client: MakeClient) -> None:
    app, _ = make_app(origins=[A, B], credentials=True, max_age=600, headers=["X-Token"], methods=["GET", "PUT"])
    client = make_client(app)
    response = client.options(
        "/private/data", headers=preflight(B, "PUT", **{"Access-Control-Request-Headers": "x-token"})
    )
    assert cors(response) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": "GET, PUT",
        "Access-Control-Allow-Headers": "X-Token",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }
    actual = client.get("/hello", headers={"Origin": B})
    assert cors(actual) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


# -- preflight_continue -------------------------------------------------------------------


def test_preflight_continue_hands_preflight_to_flask(make_client: MakeClient) -> None:
    app, seen = make_app(origins=[A], preflight_continue=True)
    response = make_client(app).options("/hello", headers=preflight())
    assert response.status_code == 200
    assert sorted(response.headers["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert cors(response) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Allow-Methods": ALL_METHODS,
        "Vary": PREFLIGHT_VARY,
    }
    assert seen == ["before_request OPTIONS /hello"]
    # and the hook may now refuse it: that is what preflight_continue asks for
    guarded = make_client(app).options("/private/data", headers=preflight())
    assert guarded.status_code == 401
    assert guarded.headers["Access-Control-Allow-Origin"] == A


def test_preflight_continue_with_app_own_options_view(make_client: MakeClient) -> None:
    app = Flask(__name__)
    calls: list[str] = []

    @app.route("/custom", methods=["OPTIONS", "PUT"])
    def custom() -> Response:
        calls.append(request.method)
        return Response("", headers={"Access-Control-Allow-Methods": "PUT", "X-Own": "yes"})

    CORS(app, origins=[A], methods=["PUT"], preflight_continue=True)
    response = make_client(app).options("/custom", headers=preflight())
    assert calls == ["OPTIONS"]
    assert response.status_code == 200
    assert response.headers["X-Own"] == "yes"
    assert cors(response) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Allow-Methods": "PUT",
        "Vary": PREFLIGHT_VARY,
    }


# -- per-view and per-blueprint policies ------------------------------------------------------


def views_app() -> Flask:
    app = Flask(__name__)

    @app.get("/item")
    def read_item() -> str:
        return "read"

    @app.delete("/item")
    @cross_origin(origins=[B], methods=["DELETE"], max_age=60)
    def delete_item() -> str:
        return "deleted"

    @cross_origin(origins=[B], credentials=True)  # above @app.route works too
    @app.route("/decorated-first")
    def decorated_first() -> str:
        return "first"

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    CORS(app, origins=[A], exposed_headers=["X-Total"])
    return app


def test_decorated_view_next_to_undecorated(make_client: MakeClient) -> None:
    client = make_client(views_app())
    assert cors(client.get("/plain", headers={"Origin": A})) == ACTUAL_A
    assert cors(client.get("/plain", headers={"Origin": B})) == {"Vary": "Origin"}
    decorated = client.get("/decorated-first", headers={"Origin": B})
    assert decorated.data == b"first"
    assert cors(decorated) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "X-Total",
        "Vary": "Origin",
    }
    assert cors(client.get("/decorated-first", headers={"Origin": A})) == {"Vary": "Origin"}


def test_preflight_matched_to_view_serving_requested_method(make_client: MakeClient) -> None:
    client = make_client(views_app())
    delete = client.options("/item", headers=preflight(B, "DELETE"))
    assert cors(delete) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Methods": "DELETE",
        "Access-Control-Max-Age": "60",
        "Vary": "Origin, Access-Control-Request-Headers",
    }
    assert cors(client.options("/item", headers=preflight(A, "DELETE"))) == {
        "Vary": "Origin, Access-Control-Request-Headers"
    }
    get = client.options("/item", headers=preflight(A, "GET"))
    assert cors(get) == PREFLIGHT_A
    assert cors(client.options("/item", headers=preflight(B, "GET"))) == {"Vary": PREFLIGHT_VARY}
    # the actual requests get the same policies as their preflights
    assert cors(client.delete("/item", headers={"Origin": B}))["Access-Control-Allow-Origin"] == B
    assert cors(client.get("/item", headers={"Origin": A})) == ACTUAL_A
    assert cors(client.head("/item", headers={"Origin": A})) == ACTUAL_A
    # a method no view serves falls back to the app's policy, for preflight and request alike
    assert cors(client.options("/item", headers=preflight(A, "PATCH"))) == PREFLIGHT_A
    assert client.open("/item", method="PATCH", headers={"Origin": A}).headers["Access-Control-Allow-Origin"] == A


def test_view_added_after_init_app_and_method_view(make_client: MakeClient) -> None:
    app = Flask(__name__)
    CORS(app, origins=[A])

    class Things(MethodView):
        decorators: ClassVar[list[Callable[..., Any]]] = [cross_origin(origins=[B])]

        def get(self) -> str:
            return "things"

    app.add_url_rule("/things", view_func=Things.as_view("things"))
    client = make_client(app)
    assert cors(client.get("/things", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }
    assert cors(client.options("/things", headers=preflight(B, "GET")))["Access-Control-Allow-Origin"] == B


def blueprint_app(register_first: bool = False) -> Flask:
    app = Flask(__name__)
    api = Blueprint("api", __name__, url_prefix="/api")
    inner = Blueprint("inner", __name__, url_prefix="/inner")

    @api.route("/data", methods=["GET", "PUT"])
    def data() -> str:
        return "api data"

    @api.route("/special")
    @cross_origin(max_age=5)
    def special() -> str:
        return "special"

    @inner.route("/deep")
    def deep() -> str:
        return "deep"

    @app.route("/site")
    def site() -> str:
        return "site"

    CORS(api, origins=[B], methods=["GET", "PUT"])
    api.register_blueprint(inner)
    if register_first:
        app.register_blueprint(api)
        CORS(app, origins=[A])
    else:
        CORS(app, origins=[A])
        app.register_blueprint(api)
    return app


@pytest.mark.parametrize("register_first", [False, True])
def test_blueprint_policy_next_to_app_policy(make_client: MakeClient, register_first: bool) -> None:
    client = make_client(blueprint_app(register_first))
    assert cors(client.get("/site", headers={"Origin": A})) == {
        "Access-Control-Allow-Origin": A,
        "Vary": "Origin",
    }
    assert cors(client.get("/site", headers={"Origin": B})) == {"Vary": "Origin"}
    assert cors(client.get("/api/data", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }
    assert cors(client.get("/api/data", headers={"Origin": A})) == {"Vary": "Origin"}
    assert cors(client.options("/api/data", headers=preflight(B))) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Methods": "GET, PUT",
        "Vary": PREFLIGHT_VARY,
    }
    # nested blueprint inherits; decorated view in the blueprint layers on top
    assert cors(client.get("/api/inner/deep", headers={"Origin": B}))["Access-Control-Allow-Origin"] == B
    assert cors(client.options("/api/special", headers=preflight(B, "GET"))) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Methods": "GET, PUT",
        "Access-Control-Max-Age": "5",
        "Vary": PREFLIGHT_VARY,
    }
    # URLs under the prefix that route to nothing get the app's policy
    assert cors(client.get("/api/nothing", headers={"Origin": A}))["Access-Control-Allow-Origin"] == A


def test_blueprint_registered_twice_under_another_name(make_client: MakeClient) -> None:
    app = Flask(__name__)
    bp = Blueprint("bp", __name__)

    @bp.route("/x")
    def x() -> str:
        return "x"

    CORS(bp, origins=[B])
    CORS(app, origins=[A])
    app.register_blueprint(bp, url_prefix="/one")
    app.register_blueprint(bp, url_prefix="/two", name="two")
    client = make_client(app)
    for path in ("/one/x", "/two/x"):
        assert cors(client.get(path, headers={"Origin": B})) == {
            "Access-Control-Allow-Origin": B,
            "Vary": "Origin",
        }


def test_blueprint_without_app_policy_leaves_other_views_untouched(make_client: MakeClient) -> None:
    app = Flask(__name__)
    api = Blueprint("api", __name__, url_prefix="/api")

    @api.route("/data")
    def data() -> str:
        return "api"

    @app.route("/site")
    def site() -> str:
        return "site"

    CORS(api, origins=[B])
    app.register_blueprint(api)
    client = make_client(app)
    assert cors(client.get("/api/data", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }
    assert cors(client.options("/api/data", headers=preflight(B, "GET")))["Access-Control-Allow-Origin"] == B
    assert cors(client.get("/site", headers={"Origin": B})) == {}
    # a preflight outside the blueprint is Flask's: its automatic OPTIONS answer
    automatic = client.options("/site", headers=preflight(B, "GET"))
    assert cors(automatic) == {}
    assert "Allow" in automatic.headers
    assert client.options("/nowhere", headers=preflight(B, "GET")).status_code == 404


def test_app_routes_are_not_inherited_by_view_policies(make_client: MakeClient) -> None:
    app = Flask(__name__)

    @app.route("/api/x")
    def api_x() -> str:
        return "x"

    @app.route("/other")
    def other() -> str:
        return "other"

    @app.route("/open")
    @cross_origin(origins=[B])
    def open_view() -> str:
        return "open"

    CORS(app, origins=[A], routes=[{"paths": ["/api"]}])
    client = make_client(app)
    assert cors(client.get("/api/x", headers={"Origin": A}))["Access-Control-Allow-Origin"] == A
    assert cors(client.get("/other", headers={"Origin": A})) == {}
    assert cors(client.get("/open", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }


def test_private_network(make_client: MakeClient) -> None:
    app, _ = make_app(origins=[A], private_network=True, methods=["GET"])
    response = make_client(app).options(
        "/hello", headers=preflight(A, "GET", **{"Access-Control-Request-Private-Network": "true"})
    )
    assert cors(response) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Allow-Methods": "GET",
        "Access-Control-Allow-Private-Network": "true",
        "Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
    }


def test_after_this_request_headers_merge(make_client: MakeClient) -> None:
    app = Flask(__name__)

    @app.route("/late")
    def late() -> str:
        @after_this_request
        def add(response: Response) -> Response:
            response.headers["Vary"] = "Accept-Encoding"
            response.headers["Access-Control-Allow-Origin"] = "https://wrong.example"
            return response

        return "late"

    CORS(app, origins=[A])
    response = make_client(app).get("/late", headers={"Origin": A})
    assert cors(response) == {"Access-Control-Allow-Origin": A, "Vary": "Accept-Encoding, Origin"}


def test_non_ascii_path_is_routed_to_its_view(make_client: MakeClient) -> None:
    app = Flask(__name__)

    @app.route("/café")
    @cross_origin(origins=[B])
    def cafe() -> str:
        return "café"

    CORS(app, origins=[A])
    client = make_client(app)
    response = client.get("/caf%C3%A9", headers={"Origin": B})
    assert response.data == "café".encode()
    assert cors(response) == {"Access-Control-Allow-Origin": B, "Vary": "Origin"}
    assert cors(client.options("/caf%C3%A9", headers=preflight(B, "GET")))["Access-Control-Allow-Origin"] == B


def test_host_matching_routes_by_host(make_client: MakeClient) -> None:
    app = Flask(__name__, host_matching=True, static_host="static.test")

    @app.route("/data", host="api.test")
    @cross_origin(origins=[B])
    def api_data() -> str:
        return "api"

    @app.route("/data", host="www.test")
    def www_data() -> str:
        return "www"

    CORS(app, origins=[A])
    client = make_client(app)
    api = client.get("/data", base_url="http://api.test", headers={"Origin": B})
    assert api.data == b"api"
    assert cors(api) == {"Access-Control-Allow-Origin": B, "Vary": "Origin"}
    www = client.get("/data", base_url="http://www.test", headers={"Origin": B})
    assert www.data == b"www"
    assert cors(www) == {"Vary": "Origin"}
    pre = client.options("/data", base_url="http://api.test", headers=preflight(B, "GET"))
    assert cors(pre)["Access-Control-Allow-Origin"] == B


def test_subdomain_matching_routes_by_subdomain(make_client: MakeClient) -> None:
    app = Flask(__name__, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"

    @app.route("/data", subdomain="api")
    @cross_origin(origins=[B])
    def api_data() -> str:
        return "api"

    @app.route("/data")
    def root_data() -> str:
        return "root"

    CORS(app, origins=[A])
    client = make_client(app)
    api = client.get("/data", base_url="http://api.example.test", headers={"Origin": B})
    assert api.data == b"api"
    assert cors(api) == {"Access-Control-Allow-Origin": B, "Vary": "Origin"}
    root = client.get("/data", base_url="http://example.test", headers={"Origin": A})
    assert root.data == b"root"
    assert cors(root) == {"Access-Control-Allow-Origin": A, "Vary": "Origin"}


def test_deny_by_default_app_with_decorated_views_only(make_client: MakeClient) -> None:
    """The documented idiom for CORS on decorated views only: CORS(app, origins=[])."""
    app = Flask(__name__)

    @app.route("/public")
    @cross_origin(origins=[A, B])
    def public() -> str:
        return "public"

    @app.route("/internal")
    def internal() -> str:
        return "internal"

    CORS(app, origins=[])
    client = make_client(app)
    assert cors(client.get("/public", headers={"Origin": B})) == {"Access-Control-Allow-Origin": B, "Vary": "Origin"}
    assert cors(client.get("/internal", headers={"Origin": B})) == {"Vary": "Origin"}
    assert cors(client.options("/internal", headers=preflight(B, "GET"))) == {"Vary": PREFLIGHT_VARY}
    assert cors(client.options("/public", headers=preflight(A, "GET"))) == PREFLIGHT_A
