"""API of meetings and action items. Thin: selectors read, one service writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.actors import actor_of
from tracker.api.schema import WRITE_ERRORS

from .. import selectors, services
from ..filters import ActionItemFilter, MeetingFilter
from ..models import ActionItem, Meeting
from .serializers import (
    ActionItemCompleteInputSerializer,
    ActionItemCreateInputSerializer,
    ActionItemOutputSerializer,
    ActionItemReassignInputSerializer,
    AddendumInputSerializer,
    AddendumOutputSerializer,
    CancelInputSerializer,
    ConfirmInputSerializer,
    DuplicateReportSerializer,
    FromTextInputSerializer,
    InvitationResponseInputSerializer,
    MeetingCancelInputSerializer,
    MeetingDetailOutputSerializer,
    MeetingFromTextOutputSerializer,
    MeetingInputSerializer,
    MeetingListOutputSerializer,
    MeetingUpdateInputSerializer,
)

_ModelT = TypeVar("_ModelT", bound=Model)


class _ServiceActionViewSet(viewsets.GenericViewSet[_ModelT]):
    """The write actions' one pattern: this object (404 if not visible), the input validated
    by a plain serializer (a Persian 400 per field), one service called with the actor."""

    #: The keyword under which the service takes the viewset's object.
    service_target: str

    def _call_service(
        self,
        request: Request,
        service: Callable[..., Any],
        input_serializer: type[serializers.Serializer[Any]] | None = None,
    ) -> Any:
        target = self.get_object()
        fields: dict[str, Any] = {}
        if input_serializer is not None:
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
        return service(actor=actor_of(request), **{self.service_target: target}, **fields)


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, _ServiceActionViewSet[Meeting]
):
    """Meetings visible to the user (host or participant). Nested rows are created in one
    request; errors of nested rows are keyed ``<section>.<index>.<field>`` (0-based)."""

    filterset_class = MeetingFilter
    service_target = "meeting"
    ordering_fields = ("start", "title", "id", "updated_at")
    ordering = ("-start", "-id")

    def get_queryset(self) -> Any:
        if self.action == "list":
            return selectors.meeting_api_list_for_user(user=self.request.user)
        return selectors.meeting_detail_list_for_user(user=self.request.user)

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return MeetingListOutputSerializer
        return MeetingDetailOutputSerializer

    def _detail(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.meeting_get_for_user(user=self.request.user, pk=meeting.pk)
        return Response(MeetingDetailOutputSerializer(fresh).data, status=code)

    @extend_schema(
        request=MeetingInputSerializer,
        responses={201: MeetingDetailOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_log(actor=actor_of(request), **data.service_kwargs())
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingUpdateInputSerializer,
        responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = MeetingUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_update(
            actor=actor_of(request), meeting=meeting, **data.service_kwargs()
        )
        return self._detail(meeting)

    @extend_schema(
        request=FromTextInputSerializer,
        responses={
            201: MeetingFromTextOutputSerializer,
            **WRITE_ERRORS,
            409: DuplicateReportSerializer,
        },
        description=(
            "Read a Persian news report or minutes text and log its meeting as a draft that "
            "needs review: visible to its host organisation only until confirmed "
            "(`POST /meetings/{id}/confirm/`). Organisations and people the text names and "
            "the directory lacks are created. The body is the meeting's detail plus "
            "`review`, what the reader was unsure of. A text with nothing to read, or longer "
            "than `INTAKE_MAX_TEXT_LENGTH` (50,000 characters by default), is a Persian 400 "
            "on `text`. The same text (compared after Persian normalisation, spaces and "
            "half-spaces taken out) already logged for the same host, in a meeting the "
            "caller still sees, is a 409 whose `meeting` is that meeting's id, unless "
            "`allow_duplicate` is true."
        ),
    )
    @action(detail=False, methods=["post"], url_path="from-text")
    def from_text(self, request: Request) -> Response:
        data = FromTextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting, _review = services.meeting_from_text(
            actor=actor_of(request), **data.validated_data
        )
        fresh = selectors.meeting_get_for_user(user=request.user, pk=meeting.pk)
        return Response(MeetingFromTextOutputSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConfirmInputSerializer,
        responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "Confirm a meeting read from a report (staff of the host; 409 if it needs no "
            "confirmation). The MoU the report said was signed (the `agreements` item of its "
            "`review`) is opened in the same transaction, as the agreement form would open "
            "it: owned by the host, the host and the meeting's first other organisation as "
            "parties, the owner's next reference number, the meeting's day as `signed_date`, "
            "linked to the meeting; `create_agreements: false` skips it."
        ),
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._detail(
            self._call_service(request, services.meeting_review_confirm, ConfirmInputSerializer)
        )

    @extend_schema(request=None, responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="mark-held")
    def mark_held(self, request: Request, pk: str) -> Response:
        return self._detail(self._call_service(request, services.meeting_mark_held))

    @extend_schema(request=None, responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request: Request, pk: str) -> Response:
        return self._detail(self._call_service(request, services.minutes_approve))

    @extend_schema(
        request=MeetingCancelInputSerializer,
        responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        meeting = self._call_service(request, services.meeting_cancel, MeetingCancelInputSerializer)
        return self._detail(meeting)

    @extend_schema(
        request=InvitationResponseInputSerializer,
        responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        """A participant organisation declines the host's invitation (the meeting leaves its
        lists, calendars and reminders) or accepts it again; staff of that organisation."""
        meeting = self.get_object()
        data = InvitationResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = data.validated_data.get("organization") or services.invitation_organization(
            user=request.user, meeting=meeting
        )
        services.meeting_invitation_respond(
            actor=actor_of(request),
            meeting=meeting,
            organization=organization,
            response=data.validated_data["response"],
        )
        return self._detail(meeting)

    @extend_schema(
        request=AddendumInputSerializer, responses={201: AddendumOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def addenda(self, request: Request, pk: str) -> Response:
        addendum = self._call_service(
            request, services.minutes_addendum_add, AddendumInputSerializer
        )
        return Response(AddendumOutputSerializer(addendum).data, status=status.HTTP_201_CREATED)


class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, _ServiceActionViewSet[ActionItem]
):
    """Action items of the meetings visible to the user."""

    serializer_class = ActionItemOutputSerializer
    filterset_class = ActionItemFilter
    service_target = "action_item"
    ordering_fields = ("due_date", "id", "updated_at")
    ordering = ("due_date", "id")

    def get_queryset(self) -> Any:
        if self.action in ("list", "retrieve"):
            # Reads only: the narrow rows (writes get full instances for the services).
            return selectors.action_item_api_list_for_user(user=self.request.user)
        return selectors.action_item_list_for_user(user=self.request.user)

    def _out(self, item: ActionItem, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.action_item_get_for_user(user=self.request.user, pk=item.pk)
        return Response(ActionItemOutputSerializer(fresh).data, status=code)

    @extend_schema(
        request=ActionItemCreateInputSerializer,
        responses={201: ActionItemOutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = ActionItemCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        meeting = selectors.meeting_list_for_user(user=request.user).get(pk=fields.pop("meeting"))
        item = services.action_item_create(actor=actor_of(request), meeting=meeting, **fields)
        return self._out(item, status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionItemCompleteInputSerializer,
        responses={200: ActionItemOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._out(
            self._call_service(
                request, services.action_item_complete, ActionItemCompleteInputSerializer
            )
        )

    @extend_schema(
        request=ActionItemReassignInputSerializer,
        responses={200: ActionItemOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        return self._out(
            self._call_service(
                request, services.action_item_reassign, ActionItemReassignInputSerializer
            )
        )

    @extend_schema(
        request=CancelInputSerializer, responses={200: ActionItemOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._out(
            self._call_service(request, services.action_item_cancel, CancelInputSerializer)
        )
