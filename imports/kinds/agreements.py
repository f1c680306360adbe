"""Agreements: through ``agreement_create``/``_update``, ``agreement_party_add``/``_remove``
and ``agreement_transition`` (the workflow's guards), as the agreement pages."""

from __future__ import annotations

import re
from typing import Any

from agreements import services
from agreements.choices import AgreementStatus, PartyRole
from agreements.selectors import agreement_list_for_user
from tracker.exceptions import ApplicationError
from tracker.text import normalize

from .base import (
    CellError,
    Col,
    Context,
    Row,
    choice,
    choice_cols,
    date_cols,
    names,
    organization_cols,
    simple,
)
from .kind import Kind

_PARTY = re.compile(r"^(?P<name>.+?)\s*[(（](?P<role>[^()（）]+)[)）]$")
_role = choice(PartyRole)
_DATE_FIELDS = (
    "review_deadline",
    "target_signing_date",
    "signed_date",
    "effective_date",
    "expiry_date",
)


def _parties(value: Any, context: Context) -> list[tuple[Any, str]]:
    """«شهرداری قدس (طرف اول)؛ شهرک صنعتی (طرف دوم)»: each an organisation and its role."""
    parties: list[tuple[Any, Any]] = []
    for piece in names(value):
        match = _PARTY.match(piece)
        if match is None:
            raise CellError(f"«{piece}»: نقش طرف را در پرانتز بنویسید، مثلاً «{piece} (طرف دوم)».")
        role = _role(match["role"])
        parties.append((context.organization_by_name(match["name"]), role))
    return parties


class AgreementKindImport(Kind):
    name = "agreements"
    sheet_titles = ("تفاهم‌نامه‌ها",)
    columns = [
        simple("reference_number", "شماره"),
        simple("title", "عنوان"),
        *choice_cols("status", "وضعیت", AgreementStatus),
        *organization_cols("owning_organization", "شناسه سازمان مالک", "سازمان مالک"),
        Col("parties", ("طرفین", "parties"), _parties),
        *date_cols("review_deadline", "مهلت بررسی"),
        *date_cols("target_signing_date", "تاریخ هدف امضا"),
        *date_cols("signed_date", "تاریخ امضا"),
        *date_cols("effective_date", "تاریخ اجرا"),
        *date_cols("expiry_date", "تاریخ انقضا"),
    ]
    read_only_headers = ("آخرین تغییر (شمسی)", "آخرین تغییر (ISO)")
    required = ("reference_number", "title", "owning_organization")

    def get(self, context: Context, pk: int) -> Any:
        return (
            agreement_list_for_user(user=context.actor)
            .select_related("owning_organization")
            .filter(pk=pk)
            .first()
        )

    def match(self, context: Context, values: dict[str, Any]) -> Any:
        """The owner's agreement with that reference number (any spelling of it)."""
        owner, reference = values.get("owning_organization"), values.get("reference_number")
        if owner is None or not reference:
            return None
        return self.get_by_reference(context, owner, reference)

    @staticmethod
    def get_by_reference(context: Context, owner: Any, reference: str) -> Any:
        return (
            agreement_list_for_user(user=context.actor)
            .filter(owning_organization=owner, reference_key=normalize(" ".join(reference.split())))
            .first()
        )

    def current(self, obj: Any) -> dict[str, Any]:
        values = {name: getattr(obj, name) for name in _DATE_FIELDS}
        values |= {
            "reference_number": obj.reference_number,
            "title": obj.title,
            "status": obj.status,
            "owning_organization": obj.owning_organization,
            "parties": [
                (p.organization, p.role) for p in obj.parties.select_related("organization")
            ],
        }
        return values

    def one_step(self, fields: dict[str, Any], *, creating: bool) -> bool:
        if creating:  # agreement_create takes the parties; a status is a transition
            return not fields.get("status")
        return not fields.get("status") and "parties" not in fields

    def create(self, context: Context, row: Row, values: dict[str, Any]) -> Any:
        status = values.pop("status", None)
        fields = {k: v for k, v in values.items() if v is not None and k in _DATE_FIELDS}
        agreement = services.agreement_create(
            actor=context.actor,
            owning_organization=values["owning_organization"],
            reference_number=values["reference_number"],
            title=values["title"],
            parties=values.get("parties") or (),
            **fields,
        )
        if status and status != agreement.status:
            agreement = services.agreement_transition(
                actor=context.actor, agreement=agreement, to=status
            )
        return agreement

    def update(
        self, context: Context, row: Row, obj: Any, changes: dict[str, Any], current: dict[str, Any]
    ) -> Any:
        if "owning_organization" in changes:
            raise ApplicationError(
                "سازمان مالک تفاهم‌نامه پس از ثبت تغییر نمی‌کند.", field="owning_organization"
            )
        status = changes.pop("status", None)
        parties = changes.pop("parties", None)
        if changes:
            obj = services.agreement_update(
                actor=context.actor,
                agreement=obj,
                expected_lock_version=obj.lock_version,
                **changes,
            )
        if parties is not None:
            self._parties(context, obj, parties)
        if status:
            obj = services.agreement_transition(actor=context.actor, agreement=obj, to=status)
        return obj

    @staticmethod
    def _parties(context: Context, agreement: Any, wanted: list[tuple[Any, str]]) -> None:
        have = {(p.organization_id, p.role): p for p in agreement.parties.all()}
        want = {(org.pk, role): org for org, role in wanted}
        for key, party in have.items():
            if key not in want:
                services.agreement_party_remove(actor=context.actor, party=party)
        for (pk, role), organization in want.items():
            if (pk, role) not in have:
                services.agreement_party_add(
                    actor=context.actor, agreement=agreement, organization=organization, role=role
                )
