"""The floors the API is measured against, and a URLconf serving them beside the real API.

List floors are plain Django views that build the same JSON (same rows, same keys, the
Jalali twins and display labels included) from ``.values()`` queries on the selectors'
querysets: scoping is the same, the serializer machinery is gone. Aggregate floors replay
the SQL the endpoint itself ran (captured once) through a raw cursor and dump the rows:
what is left above that is the Python around the queries.

The bench user is fixed per process (``BENCH_USER``): the API side is authenticated with
``force_authenticate`` and the floors read the user from here, so neither pays for auth.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from agreements import selectors as agreement_selectors
from agreements.choices import AgreementStatus, PartyRole
from agreements.models import AgreementParty, AgreementVersion
from meetings import selectors as meeting_selectors
from meetings.choices import ActionItemStatus, MeetingKind, MeetingStatus
from meetings.models import Meeting
from organizations import selectors as org_selectors
from organizations.choices import OrganizationKind
from tracker.jalali import jalali_string
from tracker.jalali.calendar import to_tehran, weekday_name

BENCH_USER: dict[str, Any] = {}
#: endpoint path -> the SQL statements it ran (filled by the bench before timing).
CAPTURED_SQL: dict[str, list[str]] = {}

KINDS = dict(MeetingKind.choices)
MEETING_STATUS = dict(MeetingStatus.choices)
ITEM_STATUS = dict(ActionItemStatus.choices)
AGREEMENT_STATUS = dict(AgreementStatus.choices)
PARTY_ROLE = dict(PartyRole.choices)
ORG_KIND = dict(OrganizationKind.choices)
JSON = {"ensure_ascii": False}


def _page(request: HttpRequest) -> tuple[int, int]:
    size = int(request.GET.get("page_size", 50))
    page = int(request.GET.get("page", 1))
    return (page - 1) * size, size


def _envelope(qs: Any, results: list[dict[str, Any]]) -> JsonResponse:
    """The list envelope, with the API's count (up to the limit: the same one query)."""
    from tracker.api.pagination import limited_count

    count, exact = limited_count(qs)
    return JsonResponse(
        {
            "count": count,
            "count_exact": exact,
            "next": None,
            "previous": None,
            "results": results,
        },
        json_dumps_params=JSON,
    )


def meetings_floor(request: HttpRequest) -> JsonResponse:
    user = BENCH_USER["user"]
    offset, size = _page(request)
    qs = meeting_selectors.meeting_list_for_user(user=user).order_by("-start", "-id")
    rows = list(
        qs.values(
            "id", "title", "kind", "status", "start", "end", "location", "host",
            "host__name", "series", "needs_review", "updated_at",
        )[offset : offset + size]
    )  # fmt: skip
    participants: dict[int, list[int]] = {r["id"]: [] for r in rows}
    for meeting_id, org_id in Meeting.participants.through.objects.filter(
        meeting_id__in=list(participants)
    ).values_list("meeting_id", "organization_id"):
        participants[meeting_id].append(org_id)
    results = [
        {
            "id": r["id"],
            "title": r["title"],
            "kind": r["kind"],
            "kind_display": KINDS[r["kind"]],
            "status": r["status"],
            "status_display": MEETING_STATUS[r["status"]],
            "start": r["start"],
            "start_jalali": jalali_string(r["start"]),
            "start_weekday": weekday_name(to_tehran(r["start"]).date()),
            "end": r["end"],
            "end_jalali": jalali_string(r["end"]),
            "location": r["location"],
            "host": r["host"],
            "host_name": r["host__name"],
            "participants": participants[r["id"]],
            "series": r["series"],
            "needs_review": r["needs_review"],
            "updated_at": r["updated_at"],
        }
        for r in rows
    ]
    return _envelope(qs, results)


def action_items_floor(request: HttpRequest) -> JsonResponse:
    from django.utils import timezone

    user = BENCH_USER["user"]
    offset, size = _page(request)
    today = timezone.localdate()
    qs = meeting_selectors.action_item_list_for_user(user=user).order_by("due_date", "id")
    rows = qs.values(
        "id", "meeting", "meeting__title", "decision", "description", "owner_person",
        "owner_person__full_name", "owner_organization", "owner_organization__name",
        "agreement", "due_date", "status", "completed_at", "completion_note", "updated_at",
    )[offset : offset + size]  # fmt: skip
    results = [
        {
            "id": r["id"],
            "meeting": r["meeting"],
            "meeting_title": r["meeting__title"],
            "decision": r["decision"],
            "description": r["description"],
            "owner_person": r["owner_person"],
            "owner_person_name": r["owner_person__full_name"],
            "owner_organization": r["owner_organization"],
            "owner_organization_name": r["owner_organization__name"],
            "agreement": r["agreement"],
            "due_date": r["due_date"],
            "due_date_jalali": jalali_string(r["due_date"]),
            "status": r["status"],
            "status_display": ITEM_STATUS[r["status"]],
            "is_overdue": r["status"] == ActionItemStatus.OPEN and r["due_date"] < today,
            "completed_at": r["completed_at"],
            "completed_at_jalali": jalali_string(r["completed_at"]),
            "completion_note": r["completion_note"],
            "updated_at": r["updated_at"],
        }
        for r in rows
    ]
    return _envelope(qs, results)


AGREEMENT_DATES = (
    "review_deadline",
    "target_signing_date",
    "signed_date",
    "effective_date",
    "expiry_date",
)


def agreements_floor(request: HttpRequest) -> JsonResponse:
    user = BENCH_USER["user"]
    offset, size = _page(request)
    qs = (
        agreement_selectors.agreement_list_for_user(user=user)
        .prefetch_related(None)
        .order_by("-updated_at", "-id")
    )
    rows = list(
        qs.values(
            "id", "reference_number", "title", "subject", "status", "status_changed_at",
            "owning_organization", "owning_organization__name", *AGREEMENT_DATES,
            "notice_period_days", "signed_scan", "lock_version", "created_at", "updated_at",
        )[offset : offset + size]
    )  # fmt: skip
    ids = [r["id"] for r in rows]
    parties: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for p in (
        AgreementParty.objects.filter(agreement_id__in=ids)
        .order_by("agreement", "role", "id")
        .values("id", "agreement_id", "organization", "organization__name", "role")
    ):
        parties[p["agreement_id"]].append(
            {
                "id": p["id"],
                "organization": p["organization"],
                "organization_name": p["organization__name"],
                "role": p["role"],
                "role_display": PARTY_ROLE[p["role"]],
            }
        )
    current = dict(
        AgreementVersion.objects.filter(agreement_id__in=ids, is_current=True).values_list(
            "agreement_id", "number"
        )
    )
    results = []
    for r in rows:
        item = {
            "id": r["id"],
            "reference_number": r["reference_number"],
            "title": r["title"],
            "subject": r["subject"],
            "status": r["status"],
            "status_display": AGREEMENT_STATUS[r["status"]],
            "status_changed_at": r["status_changed_at"],
            "status_changed_at_jalali": jalali_string(r["status_changed_at"]),
            "owning_organization": r["owning_organization"],
            "owning_organization_name": r["owning_organization__name"],
            "parties": parties[r["id"]],
            "current_version": current.get(r["id"]),
        }
        for name in AGREEMENT_DATES:
            item[name] = r[name]
            item[f"{name}_jalali"] = jalali_string(r[name])
        item.update(
            notice_period_days=r["notice_period_days"],
            has_signed_scan=bool(r["signed_scan"]),
            lock_version=r["lock_version"],
            created_at=r["created_at"],
            updated_at=r["updated_at"],
            updated_at_jalali=jalali_string(r["updated_at"]),
        )
        results.append(item)
    return _envelope(qs, results)


def organizations_floor(request: HttpRequest) -> JsonResponse:
    user = BENCH_USER["user"]
    offset, size = _page(request)
    qs = org_selectors.organization_list_for_user(user=user).order_by("name", "id")
    rows = qs.values(
        "id", "name", "kind", "province", "county", "city", "parent", "parent__name", "is_active"
    )[offset : offset + size]
    results = [
        {
            "id": r["id"],
            "name": r["name"],
            "kind": r["kind"],
            "kind_display": ORG_KIND[r["kind"]],
            "province": r["province"],
            "county": r["county"],
            "city": r["city"],
            "parent": r["parent"],
            "parent_name": r["parent__name"],
            "is_active": r["is_active"],
        }
        for r in rows
    ]
    return _envelope(qs, results)


def people_floor(request: HttpRequest) -> JsonResponse:
    user = BENCH_USER["user"]
    offset, size = _page(request)
    qs = org_selectors.person_list_for_user(user=user).order_by("full_name", "id")
    rows = qs.values(
        "id", "full_name", "position_title", "organization", "organization__name", "phone", "email",
        "user",
    )[offset : offset + size]  # fmt: skip
    results = [
        {
            "id": r["id"],
            "full_name": r["full_name"],
            "position_title": r["position_title"],
            "organization": r["organization"],
            "organization_name": r["organization__name"],
            "phone": r["phone"],
            "email": r["email"],
            "user": r["user"],
        }
        for r in rows
    ]
    return _envelope(qs, results)


def sql_floor(request: HttpRequest, name: str) -> JsonResponse:
    """Replay the endpoint's own SQL and return its rows as JSON."""
    out = []
    with connection.cursor() as cursor:
        for sql in CAPTURED_SQL[name]:
            cursor.execute(sql)
            if cursor.description:
                out.append(cursor.fetchall())
    return JsonResponse({"results": out}, safe=False, json_dumps_params={**JSON, "default": str})


LIST_FLOORS = {
    "/api/v1/meetings/": meetings_floor,
    "/api/v1/action-items/": action_items_floor,
    "/api/v1/agreements/": agreements_floor,
    "/api/v1/organizations/": organizations_floor,
    "/api/v1/people/": people_floor,
}

urlpatterns = [
    path("floor/meetings/", meetings_floor),
    path("floor/action-items/", action_items_floor),
    path("floor/agreements/", agreements_floor),
    path("floor/organizations/", organizations_floor),
    path("floor/people/", people_floor),
    path("floor/sql/<str:name>/", sql_floor),
    path("", include("tracker.urls")),
]
