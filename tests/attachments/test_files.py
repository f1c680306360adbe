"""Types by content, names made safe (attachments/files.py)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from attachments.files import (
    ATTACHMENT_KINDS,
    SCAN_KINDS,
    FileTooLarge,
    check_scan,
    check_upload,
    clean_name,
    sniff,
)

from .conftest import (
    ALLOWED,
    EXE,
    HTML,
    docm_bytes,
    odt_bytes,
    pdf_bytes,
    plain_zip_with_word_folder,
    upload,
)


@pytest.mark.parametrize("key", sorted(ALLOWED))
def test_each_allowed_type_is_recognised_by_its_content(key: str) -> None:
    name, make, mime = ALLOWED[key]
    found = sniff(io.BytesIO(make()))
    assert found is not None
    assert found.key == key
    assert found.mime_type == mime
    assert check_upload(upload(name, make()))[1].key == key


@pytest.mark.parametrize(
    "content",
    [HTML, EXE, b"just text", docm_bytes(), plain_zip_with_word_folder(), odt_bytes("text/html")],
    ids=["html", "exe", "text", "docm", "zip-with-word-folder", "odf-other-mimetype"],
)
def test_other_content_is_refused_in_persian_whatever_its_name(content: bytes) -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload("report.pdf", content))
    assert "نوع این فایل پذیرفته نیست" in excinfo.value.message_dict["file"][0]


def test_a_renamed_executable_named_docx_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_upload(upload("setup.docx", EXE))


def test_a_pdf_named_jpg_is_refused_naming_the_mismatch() -> None:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload("photo.jpg", pdf_bytes()))
    message = excinfo.value.message_dict["file"][0]
    assert ".jpg" in message
    assert "PDF" in message


def test_a_name_without_extension_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_upload(upload("scan", pdf_bytes()))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_upload(upload("a.pdf", b""))


def test_over_the_limit_is_413(settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(FileTooLarge) as excinfo:
        check_upload(upload("a.pdf", pdf_bytes() + b"0" * 100))
    assert excinfo.value.status == 413
    assert "مگابایت" in excinfo.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\a.pdf", "a.pdf"),
        ("/var/www/shell.pdf", "shell.pdf"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # a right-to-left override removed
        ("نامه\u200cها.pdf", "نامه\u200cها.pdf"),  # the ZWNJ of Persian words stays
        ("  ...hidden.pdf  ", "hidden.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("..", "file"),
        ("", "file"),
        ("line\nbreak.pdf", "linebreak.pdf"),
    ],
)
def test_names_are_sanitised(raw: str, expected: str) -> None:
    assert clean_name(raw) == expected


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    name = clean_name("ا" * 400 + ".docx")
    assert len(name) <= 150
    assert name.endswith(".docx")


def test_a_traversal_name_is_stored_under_a_random_name(db: Any) -> None:
    from attachments.models import Attachment, attachment_path

    stored = attachment_path(Attachment(), "../../etc/passwd.pdf")
    assert stored.startswith("attachments/")
    assert ".." not in stored
    assert stored.endswith(".pdf")


def test_the_scan_takes_tiff_and_images_but_not_office_files() -> None:
    assert {k.key for k in SCAN_KINDS} == {"pdf", "jpeg", "png", "webp", "tiff"}
    assert "tiff" not in {k.key for k in ATTACHMENT_KINDS}
    check_scan(upload("scan.tif", b"II*\x00" + b"\x00" * 40))
    with pytest.raises(ValidationError) as excinfo:
        check_scan(upload("scan.pdf", HTML))
    assert "signed_scan" in excinfo.value.message_dict
