"""A complaint's attachments: which files are accepted (by content, not by
name), how many and how large, and where they are kept (outside any served
directory: only `handling.views.attachment` serves one, to the comune's staff).
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_BYTES = 2 * 1024 * 1024  # each
# All together, under the request body limit (REQUEST_MAX_BODY_BYTES, 6 MB) with the form's texts.
MAX_TOTAL_BYTES = 5 * 1024 * 1024

# Magic bytes -> (content type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    data: bytes


def files_root() -> Path:
    return Path(getattr(settings, "COMPLAINTS_FILES_ROOT", Path(settings.MEDIA_ROOT) / "complaints-private"))


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_files(files) -> list[CheckedFile]:
    """The uploaded files, read and checked: at most MAX_FILES, each at most
    MAX_BYTES, each a PDF, PNG or JPEG by its first bytes. Raises
    ValidationError (Italian) naming the file refused."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError(_("Puoi allegare al massimo %(count)d file.") % {"count": MAX_FILES})
    checked = []
    for upload in files:
        name = Path(str(upload.name or "allegato")).name[:200] or "allegato"
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError(
                _("Il file «%(name)s» supera i %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
            )
        data = upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValidationError(
                _("Il file «%(name)s» supera i %(mb)d MB.") % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
            )
        kind = sniff(data[:16])
        if kind is None:
            raise ValidationError(
                _("Il file «%(name)s» non è un PDF, un'immagine PNG o JPEG.") % {"name": name}
            )
        checked.append(CheckedFile(name=name, content_type=kind[0], extension=kind[1], data=data))
    if sum(len(item.data) for item in checked) > MAX_TOTAL_BYTES:
        raise ValidationError(
            _("Gli allegati insieme superano i %(mb)d MB.") % {"mb": MAX_TOTAL_BYTES // (1024 * 1024)}
        )
    return checked


def store(*, municipality_id: int, checked: CheckedFile) -> str:
    """Write the file under a random name; returns its path relative to files_root()."""
    relative = f"{municipality_id}/{uuid.uuid4().hex}.{checked.extension}"
    target = files_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(checked.data)
    return relative


def path_of(relative: str) -> Path:
    root = files_root().resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        raise ValueError("attachment outside its directory")
    return target


def delete(relative: str) -> None:
    with contextlib.suppress(ValueError):
        path_of(relative).unlink(missing_ok=True)
