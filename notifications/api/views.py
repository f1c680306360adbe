"""API of the signed-in user's own inbox and preferences. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.actors import actor_of
from tracker.api.schema import ERRORS, INPUT_ERRORS, ONE_ERRORS, READ_ERRORS

from .. import selectors, services
from ..filters import InboxFilter
from ..models import Delivery
from .serializers import (
    MarkReadOutputSerializer,
    NotificationOutputSerializer,
    PreferenceInputSerializer,
    PreferenceOutputSerializer,
    UnreadCountSerializer,
)


class NotificationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Delivery],
):
    """The signed-in user's in-app messages (sent ones, newest first), as the inbox page
    shows them; another user's message, or one of another channel, is a 404."""

    serializer_class = NotificationOutputSerializer
    filterset_class = InboxFilter
    ordering_fields = ("sent_at", "id")
    ordering = ("-sent_at", "-id")

    def get_queryset(self) -> Any:
        return selectors.inbox_list_for_user(user=self.request.user)

    def _unread(self, marked: int) -> Response:
        count = selectors.inbox_unread_count_for_user(user=self.request.user)
        return Response(MarkReadOutputSerializer({"marked": marked, "unread_count": count}).data)

    @extend_schema(responses={200: NotificationOutputSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The user's in-app messages, newest first; ``unread=true`` for the unread ones."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: NotificationOutputSerializer, **ONE_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One of the user's own in-app messages (reading it does not mark it read)."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={200: MarkReadOutputSerializer, **ERRORS},
    )
    # The message by id, whatever list filters the query string carries.
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: str) -> Response:
        """Mark the message read (idempotent); answers with the unread count."""
        delivery = self.get_object()
        marked = services.inbox_mark_read(actor=actor_of(request), delivery_ids=[delivery.pk])
        return self._unread(marked)

    @extend_schema(request=None, responses={200: MarkReadOutputSerializer, **INPUT_ERRORS})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread message of the user read (idempotent); answers with the unread
        count (0, unless a message arrived meanwhile)."""
        marked = services.inbox_mark_read(actor=actor_of(request))
        return self._unread(marked)

    @extend_schema(responses={200: UnreadCountSerializer, **READ_ERRORS})
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None)
    def unread_count(self, request: Request) -> Response:
        """The number of the user's unread in-app messages (the header badge's number)."""
        count = selectors.inbox_unread_count_for_user(user=request.user)
        return Response(UnreadCountSerializer({"unread_count": count}).data)

    @extend_schema(methods=["GET"], responses={200: PreferenceOutputSerializer, **READ_ERRORS})
    @extend_schema(
        methods=["PATCH"],
        request=PreferenceInputSerializer,
        responses={200: PreferenceOutputSerializer, **INPUT_ERRORS},
    )
    @action(detail=False, methods=["get", "patch"], filterset_class=None)
    def preferences(self, request: Request) -> Response:
        """The user's notification preferences (defaults until first saved); PATCH changes
        the fields sent, as the preferences form of the inbox page does."""
        if request.method == "PATCH":
            data = PreferenceInputSerializer(data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            pref = services.preference_update(actor=actor_of(request), **data.validated_data)
        else:
            pref = selectors.preference_for_user(user=request.user)
        return Response(PreferenceOutputSerializer(pref).data)
