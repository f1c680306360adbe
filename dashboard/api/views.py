"""API views of the dashboard app. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from organizations import services as org_services
from organizations.models import ApiToken
from tracker.api.serializers import ErrorSerializer

from .. import selectors, services
from ..http import ConditionalGetMixin
from .serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenInputSerializer,
    ApiTokenOutputSerializer,
)

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
READ_ERRORS = {401: ErrorSerializer, 403: ErrorSerializer}


@extend_schema(tags=["tokens"])
class ApiTokenViewSet(
    ConditionalGetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ApiToken],
):
    """The signed-in user's own API tokens: list, create (the key is shown once), revoke."""

    serializer_class = ApiTokenOutputSerializer
    filterset_class = None
    ordering_fields = ("created_at", "name", "id")
    ordering = ("-created_at", "-id")

    def get_queryset(self) -> Any:
        return selectors.api_token_list_for_user(user=self.request.user)

    @extend_schema(responses={200: ApiTokenOutputSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ApiTokenOutputSerializer, **READ_ERRORS, 404: ErrorSerializer})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ApiTokenInputSerializer, responses={201: ApiTokenCreatedSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = ApiTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.api_token_issue(
            actor=request.user,
            via_token=request.auth if isinstance(request.auth, ApiToken) else None,
            **data.validated_data,
        )
        token.key = key  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiTokenOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """Revoke the token (idempotent); a request made with it fails from then on."""
        token = org_services.api_token_revoke(actor=request.user, token=self.get_object())
        return Response(ApiTokenOutputSerializer(token).data)
