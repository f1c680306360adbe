"""Choices of the agreements app."""

from django.db import models


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "پیش‌نویس"
    INTERNAL_REVIEW = "internal_review", "بررسی داخلی"
    LEGAL_REVIEW = "legal_review", "بررسی حقوقی"
    NEGOTIATION = "negotiation", "مذاکره با طرفین"
    APPROVED = "approved", "تأییدشده"
    SIGNED = "signed", "امضاشده"
    IN_FORCE = "in_force", "لازم‌الاجرا"
    EXPIRED = "expired", "منقضی"
    WITHDRAWN = "withdrawn", "منصرف‌شده"
    TERMINATED = "terminated", "فسخ‌شده"


#: States in which the agreement is still inside the owning organisation: parties do not
#: see it yet (design.md: drafts and internal reviews stay inside the owner).
INTERNAL_STATUSES: frozenset[str] = frozenset(
    {AgreementStatus.DRAFT, AgreementStatus.INTERNAL_REVIEW, AgreementStatus.LEGAL_REVIEW}
)

#: States nothing leaves.
FINAL_STATUSES: frozenset[str] = frozenset(
    {AgreementStatus.EXPIRED, AgreementStatus.WITHDRAWN, AgreementStatus.TERMINATED}
)


class PartyRole(models.TextChoices):
    FIRST_PARTY = "first_party", "طرف اول"
    SECOND_PARTY = "second_party", "طرف دوم"
    WITNESS = "witness", "ناظر / شاهد"
