"""The current text of an agreement as PDF (WeasyPrint) and DOCX (python-docx), right to left.

Both carry the reference number, title, status, owner, parties and key dates in Jalali,
then the text paragraph by paragraph. The PDF embeds the locally served Vazirmatn font (a
``file://`` base URL, never the network) and numbers pages in Persian digits.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from tracker.jalali import format_date, format_datetime
from tracker.text import to_persian_digits

from .models import Agreement, AgreementVersion

FONT_FAMILY = "Vazirmatn"
STATIC_DIR = Path(settings.BASE_DIR) / "static"


def _facts(agreement: Agreement, version: AgreementVersion) -> dict[str, Any]:
    """What both formats show above the text."""
    dates = [
        ("مهلت بررسی", agreement.review_deadline),
        ("تاریخ هدف امضا", agreement.target_signing_date),
        ("تاریخ امضا", agreement.signed_date),
        ("تاریخ اجرا", agreement.effective_date),
        ("تاریخ انقضا", agreement.expiry_date),
    ]
    return {
        "agreement": agreement,
        "version": version,
        "parties": [
            (p.get_role_display(), p.organization.name)
            for p in agreement.parties.select_related("organization").order_by("role", "id")
        ],
        "dates": [(label, format_date(value, "long")) for label, value in dates if value],
        "version_line": (
            f"نسخه {to_persian_digits(str(version.number))} – {format_datetime(version.created_at)}"
        ),
        "paragraphs": [p.strip() for p in version.text.splitlines() if p.strip()],
    }


def agreement_pdf(*, agreement: Agreement, version: AgreementVersion) -> bytes:
    from weasyprint import HTML  # imported here: loading it costs a second at startup

    html = render_to_string("agreements/agreement_export.html", _facts(agreement, version))
    # The base URL points into static/, so the stylesheet's url(fonts/...) is a local file.
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/").write_pdf()


def _rtl(paragraph: Any, *, bold: bool = False, size: int = 12) -> None:
    """Right-to-left paragraph (w:bidi) with right-to-left runs (w:rtl) in Vazirmatn."""
    p_pr = paragraph._p.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    bidi.set(qn("w:val"), "1")
    p_pr.insert(0, bidi)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in paragraph.runs:
        run.bold = bold
        run.font.size = Pt(size)
        run.font.name = FONT_FAMILY
        r_pr = run._r.get_or_add_rPr()
        r_pr.append(OxmlElement("w:rtl"))
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is not None:
            fonts.set(qn("w:cs"), FONT_FAMILY)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(size * 2))
        r_pr.append(size_cs)
        if bold:
            r_pr.append(OxmlElement("w:bCs"))


def agreement_docx(*, agreement: Agreement, version: AgreementVersion) -> bytes:
    facts = _facts(agreement, version)
    document = Document()
    section = document.sections[0]
    # The section itself runs right to left (page numbers, columns).
    section._sectPr.append(OxmlElement("w:bidi"))

    _rtl(document.add_paragraph(agreement.title), bold=True, size=16)
    _rtl(document.add_paragraph(f"شماره: {agreement.reference_number}"))
    _rtl(document.add_paragraph(f"وضعیت: {agreement.get_status_display()}"))
    _rtl(document.add_paragraph(f"سازمان مالک: {agreement.owning_organization.name}"))
    _rtl(document.add_paragraph(facts["version_line"]))
    _rtl(document.add_paragraph("طرفین"), bold=True, size=13)
    for role, name in facts["parties"]:
        _rtl(document.add_paragraph(f"{role}: {name}"))
    if facts["dates"]:
        _rtl(document.add_paragraph("تاریخ‌ها"), bold=True, size=13)
        for label, value in facts["dates"]:
            _rtl(document.add_paragraph(f"{label}: {value}"))
    _rtl(document.add_paragraph("متن"), bold=True, size=13)
    for paragraph in facts["paragraphs"]:
        _rtl(document.add_paragraph(paragraph))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
