"""What an uploaded file is, by its content; its name, made safe; its size, checked.

Libraries checked: ``python-magic`` needs the system libmagic (not on the embedded
setup's machines) and names zip-based documents by their first bytes; ``filetype`` and
``puremagic`` are pure Python but also recognise DOCX/XLSX/ODT from byte patterns near the
start of the zip, so a zip that merely contains a ``word/`` entry, or a macro-enabled
``.docm`` renamed ``.docx``, passes. Here the four image/PDF signatures are a few bytes
each, and the office formats are checked by their structure with the standard library's
``zipfile``: OOXML by the main part's content type in ``[Content_Types].xml`` (which also
tells a macro-enabled document apart), ODF by its uncompressed first ``mimetype`` entry.
Django's ``get_valid_filename`` was checked for names: it drops spaces and the ZWNJ
(U+200C) that Persian words need, so names are cleaned here instead.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError

from tracker.exceptions import ApplicationError
from tracker.persian import to_persian_digits


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    mime_type: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", "application/pdf", (".pdf",))
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg", ".jpe"))
PNG = FileKind("png", "PNG", "image/png", (".png",))
WEBP = FileKind("webp", "WebP", "image/webp", (".webp",))
TIFF = FileKind("tiff", "TIFF", "image/tiff", (".tif", ".tiff"))
DOCX = FileKind(
    "docx",
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileKind(
    "xlsx",
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
ODT = FileKind("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", (".odt",))

#: What attachments accept (issue 16).
ATTACHMENT_KINDS: tuple[FileKind, ...] = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, ODT)
#: The signed scan: a PDF or a scanned image (TIFF is what many office scanners write).
SCAN_KINDS: tuple[FileKind, ...] = (PDF, JPEG, PNG, WEBP, TIFF)

# The main part's content type in [Content_Types].xml; the macro-enabled variants
# (application/vnd.ms-word.document.macroEnabled.main+xml, ...) deliberately do not match.
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# [Content_Types].xml of a real document is a few kilobytes; more is not read.
_CONTENT_TYPES_MAX = 1_048_576


def _zip_kind(handle: IO[bytes]) -> FileKind | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            infos = archive.infolist()
            if not infos:
                return None
            first = infos[0]
            if first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED:
                if archive.read(first)[:200].strip() == ODT.mime_type.encode():
                    return ODT
                return None
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return None
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            types = archive.read(info).decode("utf-8", "replace")
            for content_type, kind in _OOXML_MAIN.items():
                if f'ContentType="{content_type}"' in types:
                    return kind
            return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None


def sniff(handle: IO[bytes]) -> FileKind | None:
    """The kind of the file's content, or ``None`` for anything not listed above."""
    handle.seek(0)
    head = handle.read(16)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head[:4] in (b"II*\x00", b"MM\x00*"):
        kind = TIFF
    elif head.startswith(b"PK\x03\x04"):
        handle.seek(0)
        kind = _zip_kind(handle)
    handle.seek(0)
    return kind


# Bidirectional overrides and isolates can make «gpj.exe» display as «exe.jpg».
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_KEPT_FORMAT = frozenset("\u200c\u200d")  # ZWNJ and ZWJ belong to Persian words
_UNSAFE = re.compile(r'[<>:"|?*]')
NAME_MAX = 150


def clean_name(raw: str, *, fallback: str = "file") -> str:
    """A display and download name without directories, control or bidi characters,
    Windows-reserved characters or leading dots, at most ``NAME_MAX`` characters with the
    extension kept."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in _BIDI_CONTROLS or category in ("Cc", "Cs", "Co", "Cn"):
            continue
        if category == "Cf" and char not in _KEPT_FORMAT:
            continue
        kept.append(" " if category.startswith("Z") else char)
    name = _UNSAFE.sub("_", "".join(kept))
    name = " ".join(name.split()).strip(" .")
    if not name:
        return fallback
    if len(name) > NAME_MAX:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: NAME_MAX - len(suffix)].rstrip(" .") + suffix
    return name


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES)


def _persian_megabytes(size: int) -> str:
    value = size / 1_048_576
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return to_persian_digits(text)


class FileTooLarge(ApplicationError):  # noqa: N818 - named after HTTP 413
    """The file is larger than ``ATTACHMENT_MAX_BYTES``: 413."""

    status = 413


def check_upload(
    upload: Any, *, kinds: tuple[FileKind, ...] = ATTACHMENT_KINDS, field: str = "file"
) -> tuple[str, FileKind]:
    """Check an uploaded file: size (413), content type and a name whose extension
    matches the content (Persian 400 naming ``field``). Returns the clean name and kind."""
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise FileTooLarge(
            f"حجم فایل بیش از {_persian_megabytes(limit)} مگابایت مجاز است.", field=field
        )
    if size == 0:
        raise ValidationError({field: "فایل خالی است."})
    name = clean_name(getattr(upload, "name", ""))
    kind = sniff(upload)
    allowed = "، ".join(k.label for k in kinds)
    if kind is None or kind not in kinds:
        raise ValidationError(
            {field: f"نوع این فایل پذیرفته نیست؛ فقط این نوع‌ها پذیرفته می‌شوند: {allowed}."}
        )
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in kind.extensions:
        shown = suffix or "بدون پسوند"
        raise ValidationError(
            {
                field: f"پسوند نام فایل ({shown}) با محتوای آن ({kind.label}) نمی‌خواند؛ "
                f"نام فایل باید با {kind.extensions[0]} تمام شود."
            }
        )
    return name, kind


def check_scan(upload: Any, *, field: str = "signed_scan") -> Any:
    """The agreement's signed scan: the same checks as an attachment (PDF or a scanned
    image, TIFF included). The upload's name becomes the cleaned one."""
    name, _kind = check_upload(upload, kinds=SCAN_KINDS, field=field)
    upload.name = name
    return upload
