"""API of agreements. Thin: selectors read (always through the user's scope), services write."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.actors import actor_of
from tracker.api.schema import ERRORS, WRITE_ERRORS, error_responses
from tracker.exceptions import ApplicationError, ConflictError, PreconditionFailed

from .. import exports, selectors, services
from ..filters import AgreementFilter
from ..models import Agreement
from .serializers import (
    AgreementCreateInputSerializer,
    AgreementOutputSerializer,
    AgreementUpdateInputSerializer,
    ApprovalInputSerializer,
    ApprovalOutputSerializer,
    DiffOutputSerializer,
    HistoryOutputSerializer,
    PartyChangeInputSerializer,
    PartyInputSerializer,
    PartyOutputSerializer,
    TransitionInputSerializer,
    TransitionOutputSerializer,
    VersionCreateInputSerializer,
    VersionOutputSerializer,
)

# "<id>-<lock_version>", optionally followed by "-<digest of the body>" (what GET answers).
_ETAG_RE = re.compile(r'^(?:W/)?"?(?:(\d+)-)?(\d+)(?:-[0-9a-f]+)?"?$')


def etag(agreement: Agreement, body: Any = None) -> str:
    """A strong ETag: ``"<id>-<lock_version>-<digest>"``.

    The lock version is what ``If-Match`` checks (the row a client edits); the digest of
    the answer's body makes the tag change with everything the answer shows that does not
    bump the row (parties, the current version, the owner's name), so ``If-None-Match``
    never gets a 304 for an answer that changed."""
    if body is None:
        return f'"{agreement.pk}-{agreement.lock_version}"'
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{agreement.pk}-{agreement.lock_version}-{digest[:16]}"'


def expected_lock_version(request: Request, agreement: Agreement, body_value: int | None) -> int:
    """The lock_version the client read: from If-Match (preferred) or the body."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG_RE.match(header)
        if match is None or (match.group(1) and int(match.group(1)) != agreement.pk):
            raise PreconditionFailed(
                "سرآیند If-Match با ETag این تفاهم‌نامه نمی‌خواند؛ آن را دوباره بخوانید."
            )
        return int(match.group(2))
    if body_value is not None:
        return body_value
    raise ApplicationError(
        "برای ویرایش، ETag آخرین خواندن را در سرآیند If-Match (یا lock_version را در بدنه) "
        "بفرستید تا تغییر دیگران ناخواسته رونویسی نشود.",
        status=428,
    )


_AGREEMENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="شناسه تفاهم‌نامه")


class AgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Agreement]
):
    """Memoranda of understanding visible to the user: the owner always, parties from
    negotiation on. ``status`` is read-only here: it moves through ``transitions``."""

    serializer_class = AgreementOutputSerializer
    filterset_class = AgreementFilter
    ordering_fields = ("updated_at", "reference_number", "status_changed_at", "expiry_date", "id")
    ordering = ("-updated_at", "-id")

    def get_queryset(self) -> Any:
        if self.action in ("list", "retrieve"):
            # Reads only: narrow rows (writes get full instances for the services).
            return selectors.agreement_api_list_for_user(user=self.request.user)
        return selectors.agreement_list_for_user(user=self.request.user)

    def _agreement(self) -> Agreement:
        return selectors.agreement_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def _out(self, agreement: Agreement, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.agreement_get_for_user(user=self.request.user, pk=agreement.pk)
        data = AgreementOutputSerializer(fresh).data
        response = Response(data, status=code)
        response["ETag"] = etag(fresh, data)
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        data = AgreementOutputSerializer(agreement).data
        response = Response(data)
        response["ETag"] = etag(agreement, data)
        return response

    @extend_schema(
        request=AgreementCreateInputSerializer,
        responses={201: AgreementOutputSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = AgreementCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        parties = [(p["organization"], p["role"]) for p in fields.pop("parties", [])]
        agreement = services.agreement_create(actor=actor_of(request), parties=parties, **fields)
        return self._out(agreement, status.HTTP_201_CREATED)

    @extend_schema(
        request=AgreementUpdateInputSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
        responses={
            200: AgreementOutputSerializer,
            **error_responses(412, 428),
            **WRITE_ERRORS,
        },
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        data = AgreementUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        expected = expected_lock_version(request, agreement, fields.pop("lock_version", None))
        updated = services.agreement_update(
            actor=actor_of(request), agreement=agreement, expected_lock_version=expected, **fields
        )
        return self._out(updated)

    @extend_schema(methods=["GET"], responses={200: VersionOutputSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=VersionCreateInputSerializer,
        responses={201: VersionOutputSerializer, **WRITE_ERRORS},
    )
    # Paginated, newest first (the selector's order); the agreement filters and ordering do
    # not apply to versions, so the schema must not advertise them.
    @action(detail=True, methods=["get", "post"], url_path="versions", filter_backends=[])
    def versions(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        if request.method == "GET":
            rows = selectors.agreement_versions(user=request.user, agreement=agreement)
            page = self.paginate_queryset(rows)  # type: ignore[arg-type]
            return self.get_paginated_response(VersionOutputSerializer(page, many=True).data)
        data = VersionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        base = None
        if "base_version" in fields:
            base = selectors.agreement_version_get(
                user=request.user,
                agreement=agreement,
                number=fields.pop("base_version"),
                field="base_version",
            )
        version = services.agreement_version_create(
            actor=actor_of(request), agreement=agreement, base_version=base, **fields
        )
        return Response(VersionOutputSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: VersionOutputSerializer, **ERRORS})
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version_detail(self, request: Request, pk: str, number: str) -> Response:
        agreement = self._agreement()
        version = selectors.agreement_version_get(
            user=request.user, agreement=agreement, number=number
        )
        return Response(VersionOutputSerializer(version).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True, description="شماره نسخه مبدأ"),
            OpenApiParameter("to", int, required=True, description="شماره نسخه مقصد"),
        ],
        responses={200: DiffOutputSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="diff")
    def diff(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        missing = {
            name: ["شماره نسخه را بفرستید."]
            for name in ("from", "to")
            if not request.query_params.get(name)
        }
        if missing:
            return Response(missing, status=status.HTTP_400_BAD_REQUEST)
        result = selectors.agreement_diff(
            user=request.user,
            agreement=agreement,
            from_number=request.query_params["from"],
            to_number=request.query_params["to"],
        )
        return Response(result)

    @extend_schema(
        methods=["GET"], responses={200: TransitionOutputSerializer(many=True), **ERRORS}
    )
    @extend_schema(
        methods=["POST"],
        request=TransitionInputSerializer,
        responses={200: AgreementOutputSerializer, **WRITE_ERRORS},
    )
    # A plain list (the moves out of the current status): neither paginated nor filtered.
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="transitions",
        pagination_class=None,
        filter_backends=[],
    )
    def transitions(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        if request.method == "GET":
            moves = selectors.agreement_transitions_for_user(user=request.user, agreement=agreement)
            return Response(TransitionOutputSerializer(moves, many=True).data)
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.agreement_transition(
            actor=actor_of(request),
            agreement=agreement,
            to=data.validated_data["to"],
            reason=data.validated_data.get("reason", ""),
        )
        return self._out(moved)

    @extend_schema(methods=["GET"], responses={200: ApprovalOutputSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ApprovalInputSerializer,
        responses={201: ApprovalOutputSerializer, **WRITE_ERRORS},
    )
    # A plain list (every approval of the agreement): neither paginated nor filtered.
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="approvals",
        pagination_class=None,
        filter_backends=[],
    )
    def approvals(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        if request.method == "GET":
            rows = selectors.agreement_approvals(user=request.user, agreement=agreement)
            return Response(ApprovalOutputSerializer(rows, many=True).data)
        data = ApprovalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = services.agreement_approve(
            actor=actor_of(request),
            agreement=agreement,
            organization=data.validated_data["organization"],
            note=data.validated_data.get("note", ""),
        )
        return Response(ApprovalOutputSerializer(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: HistoryOutputSerializer, **ERRORS})
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        body = {
            "status_changes": selectors.agreement_status_changes(
                user=request.user, agreement=agreement
            ),
            "field_changes": selectors.agreement_field_history(
                user=request.user, agreement=agreement
            ),
        }
        return Response(HistoryOutputSerializer(body).data)

    @extend_schema(methods=["GET"], responses={200: PartyOutputSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=PartyInputSerializer,
        responses={201: PartyOutputSerializer, **WRITE_ERRORS},
    )
    # A plain list (every party): neither paginated nor filtered. The same service, and so
    # the same rules, as the page: staff of the owner, only while the text can change.
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="parties",
        pagination_class=None,
        filter_backends=[],
    )
    def parties(self, request: Request, pk: str) -> Response:
        agreement = self._agreement()
        if request.method == "GET":
            rows = selectors.agreement_parties(agreement=agreement)
            return Response(PartyOutputSerializer(rows, many=True).data)
        data = PartyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        party = services.agreement_party_add(
            actor=actor_of(request),
            agreement=agreement,
            organization=data.validated_data["organization"],
            role=data.validated_data["role"],
        )
        return Response(PartyOutputSerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "party_id", int, OpenApiParameter.PATH, description="شناسه طرف تفاهم‌نامه"
            )
        ]
    )
    @extend_schema(methods=["GET"], responses={200: PartyOutputSerializer, **ERRORS})
    @extend_schema(
        methods=["PATCH"],
        request=PartyChangeInputSerializer,
        responses={200: PartyOutputSerializer, **WRITE_ERRORS},
    )
    @extend_schema(methods=["DELETE"], responses={204: None, **WRITE_ERRORS})
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"parties/(?P<party_id>\d+)",
        filter_backends=[],
    )
    def party_detail(self, request: Request, pk: str, party_id: str) -> Response:
        agreement = self._agreement()
        party = selectors.agreement_party_get(agreement=agreement, pk=party_id)
        if request.method == "GET":
            return Response(PartyOutputSerializer(party).data)
        if request.method == "DELETE":
            services.agreement_party_remove(actor=actor_of(request), party=party)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = PartyChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.agreement_party_change(
            actor=actor_of(request), party=party, role=data.validated_data["role"]
        )
        return Response(PartyOutputSerializer(changed).data)

    @extend_schema(
        parameters=[_AGREEMENT_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(409),
            **ERRORS,
        },
    )
    # Routed in urls.py: the router would add a slash after «.pdf».
    def document_pdf(self, request: Request, pk: str) -> HttpResponse:
        return self._document("pdf")

    @extend_schema(
        parameters=[_AGREEMENT_ID],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(409),
            **ERRORS,
        },
    )
    def document_docx(self, request: Request, pk: str) -> HttpResponse:
        return self._document("docx")

    def _document(self, kind: str) -> HttpResponse:
        """The current text as PDF or Word, the same file as the page's export (a token
        works here; the page wants a session)."""
        agreement = self._agreement()
        current = selectors.agreement_current_version(user=self.request.user, agreement=agreement)
        if current is None:
            raise ConflictError("این تفاهم‌نامه هنوز متنی ندارد که خروجی گرفته شود.")
        if kind == "pdf":
            body = exports.agreement_pdf(agreement=agreement, version=current)
            content_type = "application/pdf"
        else:
            body = exports.agreement_docx(agreement=agreement, version=current)
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        response = HttpResponse(body, content_type=content_type)
        filename = f"agreement-{agreement.pk}-v{current.number}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
