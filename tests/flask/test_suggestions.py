"""Every fix flask_ext's messages suggest is accepted when pasted back (issue 16, item 3).

The catalogue's configurations, written as ``app.config["CORS_*"]`` keys and as
``CORS(app, ...)`` keywords: each is refused at ``CORS(app)``, and every value
its message suggests, in that same vocabulary, is accepted.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from flask import Flask

from flask_ext import CORS
from tests.core.suggestions import CATALOGUE, Form, pasted_back
from wsgicors import CORSConfigError, CORSConfigWarning


def _app(config: dict[str, Any]) -> Flask:
    app = Flask(__name__)
    app.config.update({"CORS_" + name.upper(): value for name, value in config.items()})

    @app.route("/hello")
    def hello() -> str:
        return "hello"

    return app


def _install(options: dict[str, Any], form: Form) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CORSConfigWarning)
        if form == "config":
            CORS(_app(options))
        else:
            CORS(_app({}), **options)


@pytest.mark.parametrize("form", ["config", "keyword"])
@pytest.mark.parametrize(("case", "options"), CATALOGUE, ids=[case for case, _ in CATALOGUE])
def test_every_suggested_value_is_accepted(case: str, options: dict[str, Any], form: Form) -> None:
    with pytest.raises(CORSConfigError) as info:
        _install(options, form)
    exc = info.value
    attempts = pasted_back(options, exc.fix, exc.option, exc.value, form)
    assert attempts, f"no value suggested: {exc}"
    for text, fixed in attempts:
        try:
            _install(fixed, form)
        except CORSConfigError as again:
            pytest.fail(f"{case}: pasting {text!r} from {exc} gives {again}")
