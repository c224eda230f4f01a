"""Settings for the Celery worker subprocesses of the worker tests.

The portal's own settings, with mail recorded by tests.notifications.backends and the
sending timeout shortened, both from the environment the test gives the worker.
"""

import os

from socialpolicy.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.notifications.backends.RecordingBackend",
        "OPTIONS": {
            "directory": os.environ["NOTIFICATIONS_TEST_MAIL_DIR"],
            "release_file": os.environ.get("NOTIFICATIONS_TEST_RELEASE_FILE", ""),
            "hold_after_send": os.environ.get("NOTIFICATIONS_TEST_HOLD_AFTER_SEND") == "1",
        },
    }
}
NOTIFICATIONS_SENDING_TIMEOUT = float(
    os.environ.get("NOTIFICATIONS_TEST_SENDING_TIMEOUT", NOTIFICATIONS_SENDING_TIMEOUT)  # noqa: F405
)
