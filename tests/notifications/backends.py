"""Email backends for the notification tests.

RecordingBackend writes one file per message sent into a directory (named after the
notification id in the X-Portal-Notification header), so a separate worker process
can be checked for "sent exactly once". With a release file it first announces
"sending <id>" by creating `sending-<id>` and then blocks until the release file
exists: a worker can be killed mid-send. With `hold_after_send` it records the message first and then
announces "handed over" by creating `handed-<id>` and blocks: a worker can be killed after the mail
server took the message and before the row says so. Each record holds the message's Message-ID.
"""

import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HEADER = "X-Portal-Notification"


def sent_ids(directory: Path) -> list[int]:
    """The notification id of every message recorded in `directory`, once per send."""
    return sorted(int(path.name.split("-")[1]) for path in Path(directory).glob("sent-*"))


def sent_message_ids(directory: Path, notification_id: int) -> list[str]:
    """The Message-ID of every send of one notification recorded in `directory`."""
    return [path.read_text() for path in Path(directory).glob(f"sent-{notification_id}-*")]


class RecordingBackend(BaseEmailBackend):
    def __init__(self, *, directory: str, release_file: str = "", hold_after_send: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.release_file = Path(release_file) if release_file else None
        self.hold_after_send = hold_after_send

    def _wait_for_release(self):
        while not self.release_file.exists():
            time.sleep(0.05)

    def send_messages(self, email_messages):
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            notification_id = message.extra_headers.get(HEADER, "0")
            if self.release_file is not None and not self.hold_after_send:
                (self.directory / f"sending-{notification_id}").touch()
                self._wait_for_release()
            record = self.directory / f"sent-{notification_id}-{uuid.uuid4().hex}"
            record.write_text(message.extra_headers.get("Message-ID", ""))
            if self.release_file is not None and self.hold_after_send:
                (self.directory / f"handed-{notification_id}").touch()
                self._wait_for_release()
        return len(email_messages)


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")
