"""API views of organisations, people and token login. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.actors import actor_of
from tracker.api.schema import ERRORS, WRITE_ERRORS
from tracker.api.throttling import AnonRateThrottle

from .. import selectors, services
from ..filters import OrganizationFilter, PersonFilter
from ..models import Organization, Person
from .serializers import (
    OrganizationInputSerializer,
    OrganizationOutputSerializer,
    PersonInputSerializer,
    PersonLinkUserInputSerializer,
    PersonOutputSerializer,
    TokenLoginSerializer,
    TokenOutputSerializer,
)

ORGANIZATION_LIST_FIELDS = (
    "id", "name", "kind", "province", "county", "city", "parent_id", "parent__name", "is_active"
)  # fmt: skip
PERSON_LIST_FIELDS = (
    "id", "full_name", "position_title", "organization_id", "organization__name", "phone", "email",
    "user_id",
)  # fmt: skip


class OrganizationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Organization]
):
    """The organisation directory; create needs staff, change needs the organisation's admin."""

    serializer_class = OrganizationOutputSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ("name", "id")
    ordering = ("name", "id")

    def get_queryset(self) -> Any:
        qs = selectors.organization_list_for_user(user=self.request.user)
        if self.action == "list":
            # Only what the rows show (no timestamps to parse, no parent's other columns).
            qs = qs.only(*ORGANIZATION_LIST_FIELDS)
        return qs

    @extend_schema(
        request=OrganizationInputSerializer,
        responses={201: OrganizationOutputSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = OrganizationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = services.organization_create(actor=actor_of(request), **data.validated_data)
        return Response(
            OrganizationOutputSerializer(organization).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=OrganizationInputSerializer,
        responses={200: OrganizationOutputSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        organization = self.get_object()
        data = OrganizationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organization = services.organization_update(
            actor=actor_of(request), organization=organization, **data.validated_data
        )
        return Response(OrganizationOutputSerializer(organization).data)


class PersonViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Person]
):
    """People of the user's organisations and the counterparts their staff registered."""

    serializer_class = PersonOutputSerializer
    filterset_class = PersonFilter
    ordering_fields = ("full_name", "id")
    ordering = ("full_name", "id")

    def get_queryset(self) -> Any:
        qs = selectors.person_list_for_user(user=self.request.user)
        if self.action == "list":
            qs = qs.only(*PERSON_LIST_FIELDS)
        return qs

    @extend_schema(request=PersonInputSerializer, responses={201: PersonOutputSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(actor=actor_of(request), **data.validated_data)
        return Response(PersonOutputSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonInputSerializer, responses={200: PersonOutputSerializer, **ERRORS})
    def partial_update(self, request: Request, pk: str) -> Response:
        person = self.get_object()
        data = PersonInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = services.person_update(
            actor=actor_of(request), person=person, **data.validated_data
        )
        return Response(PersonOutputSerializer(person).data)

    @extend_schema(
        request=PersonLinkUserInputSerializer,
        responses={200: PersonOutputSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="link-user", filter_backends=[])
    def link_user(self, request: Request, pk: str) -> Response:
        """Link the person to a login by username (null unlinks): an admin of the
        person's organisation; the login must be a member there."""
        person = self.get_object()
        data = PersonLinkUserInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_link_user(
            actor=actor_of(request), person=person, username=data.validated_data["username"]
        )
        return Response(PersonOutputSerializer(person).data)


class LoginThrottle(AnonRateThrottle):
    scope = "anon"


class TokenLoginView(APIView):
    """Exchange a username and password for a new API token (shown once).

    The third door of django-axes (beside the web and admin logins): ``authenticate()``
    gets the Django request, so a locked-out username is refused before its password is
    checked, and AxesMiddleware turns the answer into a Persian JSON 429
    (``tracker.lockout``)."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (LoginThrottle,)

    @extend_schema(request=TokenLoginSerializer, responses={201: TokenOutputSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = TokenLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            return Response(
                {"detail": "نام کاربری یا گذرواژه نادرست است."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, key = services.api_token_create(
            actor=user, name=data.validated_data["name"], read_only=data.validated_data["read_only"]
        )
        # A token is a login without a session: the signal login() would send lets axes
        # record the success (its access log) and reset the failure count.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        body = {
            "token": key,
            "name": token.name,
            "read_only": token.read_only,
            "expires_at": token.expires_at,
        }
        return Response(TokenOutputSerializer(body).data, status=status.HTTP_201_CREATED)
