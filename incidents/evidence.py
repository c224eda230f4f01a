"""Evidence files: what is accepted (judged by content, never by name) and where it is kept.

Only PNG, JPEG, PDF and plain UTF-8 text are accepted, up to INCIDENTS_EVIDENCE_MAX_BYTES.
Files are kept under MEDIA_ROOT/evidence/<generated uuid>: MEDIA_ROOT lies outside every
served path and has no URL, so a file leaves only through the download view, which checks
access, audits the download and sends it as an attachment.
"""

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .exceptions import EvidenceRejected
from .models import EvidenceKind

ACCEPTED = "PNG, JPEG, PDF and plain text files"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Text that a browser or viewer could run as markup, whatever the file is called.
MARKUP = re.compile(
    rb"<\s*(script|svg|html|body|iframe|object|embed|\?xml|!doctype)|javascript:", re.IGNORECASE
)
# Control characters that never occur in plain text (tab, newlines and form feed do).
BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Checked:
    kind: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def max_bytes() -> int:
    return settings.INCIDENTS_EVIDENCE_MAX_BYTES


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f}".rstrip("0").rstrip(".")


def check_size(size: int) -> None:
    if size == 0:
        raise EvidenceRejected("The file is empty: choose the file again.", code="empty")
    if size > max_bytes():
        raise EvidenceRejected(
            f"The file is {megabytes(size)} MB and the largest accepted is {megabytes(max_bytes())} MB: "
            "make it smaller (for example, save a screenshot as JPEG, or split a long document) and upload it again.",
            code="too_large",
        )


def sniff(data: bytes) -> str:
    """The kind of evidence `data` is, or EvidenceRejected saying why it is not accepted."""
    check_size(len(data))
    head, tail = data[:16], data[-1024:]
    if head.startswith(PNG_SIGNATURE):
        # A complete PNG ends with its IEND chunk (and that chunk's checksum).
        if b"IEND" not in data[-16:]:
            raise EvidenceRejected(
                "This PNG image is incomplete (its end is missing), so it was probably damaged in copying: "
                "save it again and upload the new copy.",
                code="truncated",
            )
        return EvidenceKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        if b"\xff\xd9" not in tail:
            raise EvidenceRejected(
                "This JPEG image is incomplete (its end is missing), so it was probably damaged in copying: "
                "save it again and upload the new copy.",
                code="truncated",
            )
        return EvidenceKind.JPEG
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in tail:
            raise EvidenceRejected(
                "This PDF is incomplete (its end marker is missing), so it was probably damaged in copying: "
                "save or download it again and upload the new copy.",
                code="truncated",
            )
        return EvidenceKind.PDF
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        raise EvidenceRejected(
            f"This file is a program, not evidence, whatever its name says. Only {ACCEPTED} are accepted.",
            code="program",
        )
    if head.startswith(b"PK\x03\x04"):
        raise EvidenceRejected(
            f"This is a zip archive or an Office document. Only {ACCEPTED} are accepted: "
            "save a document as PDF and upload that.",
            code="archive",
        )
    return _sniff_text(data)


def _sniff_text(data: bytes) -> str:
    if b"\x00" in data:
        raise EvidenceRejected(
            f"This file's content is not one of the accepted kinds ({ACCEPTED}); its name does not decide that. "
            "Save it as PDF or as a picture and upload that.",
            code="unknown",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceRejected(
            f"This file's content is not one of the accepted kinds ({ACCEPTED}), or it is text that is not "
            "saved as UTF-8. Save text as 'UTF-8 text', or save the file as PDF, and upload it again.",
            code="unknown",
        ) from None
    if BINARY_CONTROLS.search(text):
        raise EvidenceRejected(
            f"This file holds binary content, so it is not plain text. Only {ACCEPTED} are accepted.",
            code="unknown",
        )
    if MARKUP.search(data):
        raise EvidenceRejected(
            "This file is a web page or an SVG image, which can carry scripts. Save it as PDF or take a "
            "screenshot (PNG or JPEG) and upload that instead.",
            code="markup",
        )
    return EvidenceKind.TEXT


def check(data: bytes) -> Checked:
    kind = sniff(data)
    return Checked(kind=kind, data=data, sha256=hashlib.sha256(data).hexdigest())


def clean_name(name: str) -> str:
    """The file's own name, without any folder, control characters or surrounding spaces."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return (name or "evidence")[:255]


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def path_for(stored_name: uuid.UUID) -> Path:
    return evidence_dir() / uuid.UUID(str(stored_name)).hex


def store(data: bytes) -> uuid.UUID:
    """Write `data` under a new generated name; owner-only permissions; never overwrites."""
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = uuid.uuid4()
    fd = os.open(path_for(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return stored_name


def remove(stored_name: uuid.UUID) -> None:
    path_for(stored_name).unlink(missing_ok=True)
