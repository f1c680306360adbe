"""API of commitments. Thin: selectors read (through the visible agreements), services write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agreements.selectors import agreement_get_for_user
from tracker.actors import actor_of
from tracker.api.schema import WRITE_ERRORS, error_responses

from .. import inputs, selectors, services
from ..filters import CommitmentFilter, OccurrenceFilter
from ..models import Commitment, CommitmentOccurrence
from .serializers import (
    CommitmentInputSerializer,
    CommitmentOutputSerializer,
    CommitmentUpdateInputSerializer,
    CompleteInputSerializer,
    OccurrenceOutputSerializer,
    ReasonInputSerializer,
)

#: «Done» takes JSON (the note only) or a multipart form (the note and evidence files).
_COMPLETE_REQUEST = {
    "application/json": CompleteInputSerializer,
    "multipart/form-data": CompleteInputSerializer,
}


def _move_kwargs(fields: dict[str, Any], note_field: str) -> dict[str, Any]:
    """The service's arguments: the note, and for «done» the evidence files (if any)."""
    kwargs: dict[str, Any] = {note_field: fields[note_field]}
    if fields.get("files"):
        kwargs["files"] = fields["files"]
    return kwargs


def _create_fields(request: Request, agreement: Any, data: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    party = inputs.resolve_party(agreement, data.pop("party"))
    return {
        "agreement": agreement,
        "party": party,
        "responsible": inputs.resolve_person(party, data.pop("responsible", None)),
        "source_decision": inputs.resolve_decision(user, data.pop("source_decision", None)),
        "source_action_item": inputs.resolve_action_item(
            user, data.pop("source_action_item", None)
        ),
        **data,
    }


class CommitmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Commitment]
):
    """Commitments of the agreements visible to the user, each with its occurrences. Staff
    of the agreement's owner create, change and delete them; done/waive/reopen act on one
    occurrence (``occurrence`` id, default the earliest one still waiting)."""

    serializer_class = CommitmentOutputSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ("due_date", "id", "updated_at")
    ordering = ("due_date", "id")

    def get_queryset(self) -> Any:
        return selectors.commitment_list_for_user(user=self.request.user).prefetch_related(
            "occurrences"
        )

    def _out(self, commitment: Commitment, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=commitment.pk)
        return Response(CommitmentOutputSerializer(fresh).data, status=code)

    def _commitment(self) -> Commitment:
        return selectors.commitment_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=CommitmentInputSerializer,
        responses={201: CommitmentOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = CommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "agreement" not in fields:
            return Response(
                {"agreement": ["تفاهم‌نامه را نام ببرید."]}, status=status.HTTP_400_BAD_REQUEST
            )
        agreement = agreement_get_for_user(user=request.user, pk=fields.pop("agreement"))
        commitment = services.commitment_create(
            actor=actor_of(request), **_create_fields(request, agreement, fields)
        )
        return self._out(commitment, status.HTTP_201_CREATED)

    @extend_schema(
        request=CommitmentUpdateInputSerializer,
        responses={200: CommitmentOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        commitment = self._commitment()
        data = CommitmentUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "party" in fields:
            fields["party"] = inputs.resolve_party(commitment.agreement, fields["party"])
        if "responsible" in fields:
            party = fields.get("party", commitment.party)
            fields["responsible"] = inputs.resolve_person(party, fields["responsible"])
        updated = services.commitment_update(
            actor=actor_of(request), commitment=commitment, **fields
        )
        return self._out(updated)

    @extend_schema(request=None, responses={204: None, **WRITE_ERRORS})
    def destroy(self, request: Request, pk: str) -> Response:
        services.commitment_delete(actor=actor_of(request), commitment=self._commitment())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _move(self, request: Request, serializer: Any, service: Any, note_field: str) -> Response:
        commitment = self._commitment()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        occurrence = inputs.pick_occurrence(commitment, fields.pop("occurrence", None))
        service(actor=actor_of(request), occurrence=occurrence, **_move_kwargs(fields, note_field))
        return self._out(commitment)

    @extend_schema(
        request=_COMPLETE_REQUEST,
        responses={200: CommitmentOutputSerializer, **error_responses(413), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._move(
            request, CompleteInputSerializer, services.occurrence_complete, "evidence_note"
        )

    @extend_schema(
        request=ReasonInputSerializer, responses={200: CommitmentOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        return self._move(request, ReasonInputSerializer, services.occurrence_waive, "reason")

    @extend_schema(
        request=ReasonInputSerializer, responses={200: CommitmentOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._move(request, ReasonInputSerializer, services.occurrence_reopen, "reason")


_AGREEMENT_PK = OpenApiParameter(
    "agreement_pk", int, OpenApiParameter.PATH, description="شناسه تفاهم‌نامه"
)


@extend_schema_view(list=extend_schema(parameters=[_AGREEMENT_PK]))
class AgreementCommitmentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Commitment]):
    """``/agreements/{id}/commitments/``: the commitments of one visible agreement (404 for
    an agreement the user may not see); POST creates one on it."""

    serializer_class = CommitmentOutputSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ("due_date", "id", "updated_at")
    ordering = ("due_date", "id")

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema: no agreement in the path
            return Commitment.objects.none()
        agreement = agreement_get_for_user(user=self.request.user, pk=self.kwargs["agreement_pk"])
        return (
            selectors.commitment_list_for_user(user=self.request.user)
            .filter(agreement=agreement)
            .prefetch_related("occurrences")
        )

    @extend_schema(
        parameters=[_AGREEMENT_PK],
        request=CommitmentInputSerializer,
        responses={201: CommitmentOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request, agreement_pk: str) -> Response:
        agreement = agreement_get_for_user(user=request.user, pk=agreement_pk)
        data = CommitmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("agreement", None)
        commitment = services.commitment_create(
            actor=actor_of(request), **_create_fields(request, agreement, fields)
        )
        fresh = (
            selectors.commitment_list_for_user(user=request.user)
            .prefetch_related("occurrences")
            .get(pk=commitment.pk)
        )
        return Response(CommitmentOutputSerializer(fresh).data, status=status.HTTP_201_CREATED)


class OccurrenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[CommitmentOccurrence]
):
    """Every due date of every visible commitment: the cross-agreement list (party, status,
    due range, overdue, agreement), and done / waive / reopen of one occurrence."""

    serializer_class = OccurrenceOutputSerializer
    filterset_class = OccurrenceFilter
    ordering_fields = ("due_date", "id", "status_changed_at")
    ordering = ("due_date", "id")

    def get_queryset(self) -> Any:
        return selectors.occurrence_list_for_user(user=self.request.user)

    def _out(self, occurrence: CommitmentOccurrence) -> Response:
        fresh = selectors.occurrence_get_for_user(user=self.request.user, pk=occurrence.pk)
        return Response(OccurrenceOutputSerializer(fresh).data)

    def _move(self, request: Request, serializer: Any, service: Any, note_field: str) -> Response:
        occurrence = self.get_object()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "occurrence" in data.validated_data:
            return Response(
                {"occurrence": ["این نشانی خود یک نوبت است؛ occurrence را نفرستید."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        kwargs = _move_kwargs(dict(data.validated_data), note_field)
        return self._out(service(actor=actor_of(request), occurrence=occurrence, **kwargs))

    @extend_schema(
        request=_COMPLETE_REQUEST,
        responses={200: OccurrenceOutputSerializer, **error_responses(413), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._move(
            request, CompleteInputSerializer, services.occurrence_complete, "evidence_note"
        )

    @extend_schema(
        request=ReasonInputSerializer, responses={200: OccurrenceOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        return self._move(request, ReasonInputSerializer, services.occurrence_waive, "reason")

    @extend_schema(
        request=ReasonInputSerializer, responses={200: OccurrenceOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._move(request, ReasonInputSerializer, services.occurrence_reopen, "reason")
