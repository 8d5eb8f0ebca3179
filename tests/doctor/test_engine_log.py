"""The engine's reason is captured for the doctor's request only, and the app's logging is left as it was."""

from __future__ import annotations

import logging
import threading

import pytest

from wsgicors.doctor.engine_log import capture_engine_log


def test_captures_this_thread_only_and_restores_the_logger() -> None:
    logger = logging.getLogger("wsgicors")
    before = (logger.level, logger.propagate, list(logger.handlers))
    with capture_engine_log() as messages:
        logger.debug("CORS denied: %s", "here")
        other = threading.Thread(target=logger.debug, args=("from another request",))
        other.start()
        other.join()
    assert messages == ["CORS denied: here"]
    assert (logger.level, logger.propagate, list(logger.handlers)) == before


def test_app_handlers_see_nothing_new_unless_debug_was_on(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("wsgicors")
    with caplog.at_level(logging.INFO, logger="wsgicors"):
        with capture_engine_log() as messages:
            logger.debug("quiet for the app")
        assert messages == ["quiet for the app"]
        assert "quiet for the app" not in caplog.text
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        with capture_engine_log() as messages:
            logger.debug("the app asked for DEBUG")
        assert messages == ["the app asked for DEBUG"]
        assert "the app asked for DEBUG" in caplog.text
