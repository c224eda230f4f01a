"""Email backends for the notification tests.

RecordingBackend writes one file per message sent into a directory (named after the
notification id in the X-Portal-Notification header), so a separate worker process
can be checked for "sent exactly once". With a release file it first announces
"sending <id>" by creating `sending-<id>` and then blocks until the release file
exists: a worker can be killed mid-send.
"""

import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HEADER = "X-Portal-Notification"


def sent_ids(directory: Path) -> list[int]:
    """The notification id of every message recorded in `directory`, once per send."""
    return sorted(int(path.name.split("-")[1]) for path in Path(directory).glob("sent-*"))


class RecordingBackend(BaseEmailBackend):
    def __init__(self, *, directory: str, release_file: str = "", **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.release_file = Path(release_file) if release_file else None

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            notification_id = message.extra_headers.get(HEADER, "0")
            if self.release_file is not None:
                (self.directory / f"sending-{notification_id}").touch()
                while not self.release_file.exists():
                    time.sleep(0.05)
            (self.directory / f"sent-{notification_id}-{uuid.uuid4().hex}").write_text(message.subject)
        return len(email_messages)


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")
