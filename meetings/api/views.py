"""API of meetings and action items. Thin: selectors read, one service writes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

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
    MeetingDetailOutputSerializer,
    MeetingInputSerializer,
    MeetingListOutputSerializer,
    MeetingUpdateInputSerializer,
)


class MeetingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Meeting]
):
    """Meetings visible to the user (host or participant). Nested rows are created in one
    request; errors of nested rows are keyed ``<section>.<index>.<field>`` (0-based)."""

    filterset_class = MeetingFilter
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
        meeting = services.meeting_log(actor=request.user, **data.service_kwargs())
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
            actor=request.user, meeting=meeting, **data.service_kwargs()
        )
        return self._detail(meeting)

    @extend_schema(request=None, responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="mark-held")
    def mark_held(self, request: Request, pk: str) -> Response:
        meeting = services.meeting_mark_held(actor=request.user, meeting=self.get_object())
        return self._detail(meeting)

    @extend_schema(request=None, responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request: Request, pk: str) -> Response:
        meeting = services.minutes_approve(actor=request.user, meeting=self.get_object())
        return self._detail(meeting)

    @extend_schema(
        request=CancelInputSerializer,
        responses={200: MeetingDetailOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_cancel(
            actor=request.user, meeting=meeting, **data.validated_data
        )
        return self._detail(meeting)

    @extend_schema(
        request=AddendumInputSerializer, responses={201: AddendumOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def addenda(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = AddendumInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        addendum = services.minutes_addendum_add(
            actor=request.user, meeting=meeting, **data.validated_data
        )
        return Response(AddendumOutputSerializer(addendum).data, status=status.HTTP_201_CREATED)


class ActionItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ActionItem]
):
    """Action items of the meetings visible to the user."""

    serializer_class = ActionItemOutputSerializer
    filterset_class = ActionItemFilter
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
        item = services.action_item_create(actor=request.user, meeting=meeting, **fields)
        return self._out(item, status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionItemCompleteInputSerializer,
        responses={200: ActionItemOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = ActionItemCompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.action_item_complete(
            actor=request.user, action_item=item, **data.validated_data
        )
        return self._out(item)

    @extend_schema(
        request=ActionItemReassignInputSerializer,
        responses={200: ActionItemOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = ActionItemReassignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.action_item_reassign(
            actor=request.user, action_item=item, **data.validated_data
        )
        return self._out(item)

    @extend_schema(
        request=CancelInputSerializer, responses={200: ActionItemOutputSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.action_item_cancel(
            actor=request.user, action_item=item, **data.validated_data
        )
        return self._out(item)
