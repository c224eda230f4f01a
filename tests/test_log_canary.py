"""The log canary itself: a log line carrying case detail is caught (so its silence means something)."""

import logging

from .conftest import CANARY_HANDLER


def test_a_leaked_canary_is_caught():
    before = len(CANARY_HANDLER.leaks)
    logging.getLogger("portal.selftest").warning("about CANARY-selftest-1 in a record")
    try:
        assert len(CANARY_HANDLER.leaks) == before + 1
        assert "CANARY-selftest-1" in CANARY_HANDLER.leaks[-1]
    finally:
        del CANARY_HANDLER.leaks[before:]


def test_a_canary_in_an_exception_is_caught():
    before = len(CANARY_HANDLER.leaks)
    try:
        raise ValueError("CANARY-selftest-2")
    except ValueError:
        logging.getLogger("portal.selftest").exception("request failed")
    try:
        assert len(CANARY_HANDLER.leaks) == before + 1
    finally:
        del CANARY_HANDLER.leaks[before:]
