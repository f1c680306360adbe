"""API views of the dashboard app. Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations import services as org_services
from organizations.models import ApiToken
from tracker.actors import actor_of
from tracker.api.http import not_modified_or_none, weak_etag
from tracker.api.schema import ERRORS, ONE_ERRORS, READ_ERRORS

from .. import cache as stats_cache
from .. import selectors, services, stats
from .serializers import (
    ActionStatsQuerySerializer,
    ActionStatsSerializer,
    ApiTokenCreatedSerializer,
    ApiTokenInputSerializer,
    ApiTokenOutputSerializer,
    ByStatusSerializer,
    CommitmentStatsSerializer,
    CurrentStatsQuerySerializer,
    DurationsSerializer,
    StatsQuerySerializer,
    TimelineSerializer,
    UpcomingQuerySerializer,
    UpcomingSerializer,
)


@extend_schema(tags=["tokens"])
class ApiTokenViewSet(
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

    @extend_schema(responses={200: ApiTokenOutputSerializer, **ONE_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=ApiTokenInputSerializer, responses={201: ApiTokenCreatedSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = ApiTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = services.api_token_issue(
            actor=actor_of(request),
            via_token=request.auth if isinstance(request.auth, ApiToken) else None,
            **data.validated_data,
        )
        token.key = key  # type: ignore[attr-defined]
        return Response(ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ApiTokenOutputSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """Revoke the token (idempotent); a request made with it fails from then on."""
        token = org_services.api_token_revoke(actor=actor_of(request), token=self.get_object())
        return Response(ApiTokenOutputSerializer(token).data)


# --- Aggregates -------------------------------------------------------------------------------


class StatsView(APIView):
    """Base of the aggregates: validate filters, answer 304 or from the cache, tag the answer."""

    name = ""
    query_serializer: type[serializers.Serializer] = StatsQuerySerializer

    def get(self, request: Request) -> HttpResponseBase:
        query = self.query_serializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        filters = stats.StatsFilters(**params)
        key = stats_cache.cache_key(
            self.name, request.user, filters.as_dict() | params, stats.today().isoformat()
        )
        etag = weak_etag(key)
        not_modified = not_modified_or_none(request, etag)
        if not_modified is not None:
            return not_modified
        compute = stats.AGGREGATES[self.name]
        body = stats_cache.cached(key, lambda: compute(user=request.user, filters=filters))
        response = Response(body)
        response["ETag"] = etag
        return response


def _stats_schema(serializer: Any, query: Any, summary: str) -> Any:
    return extend_schema(
        tags=["stats"],
        summary=summary,
        parameters=[query],
        responses={
            200: serializer,
            304: OpenApiResponse(description="Not modified (ETag)."),
            **ERRORS,
        },
    )


@_stats_schema(ByStatusSerializer, CurrentStatsQuerySerializer, "Agreements by status now")
class AgreementsByStatusView(StatsView):
    name = "agreements-by-status"
    query_serializer = CurrentStatsQuerySerializer


@_stats_schema(
    DurationsSerializer,
    StatsQuerySerializer,
    "Days in each workflow state (median, 90th percentile)",
)
class StateDurationsView(StatsView):
    name = "state-durations"
    query_serializer = StatsQuerySerializer


@_stats_schema(
    TimelineSerializer,
    StatsQuerySerializer,
    "Agreements signed and meetings held per Jalali month, quarter, fiscal year",
)
class TimelineView(StatsView):
    name = "timeline"
    query_serializer = StatsQuerySerializer


@_stats_schema(
    ActionStatsSerializer,
    ActionStatsQuerySerializer,
    "Open and overdue action items by organisation and owner; on-time rate",
)
class ActionItemStatsView(StatsView):
    name = "action-items"
    query_serializer = ActionStatsQuerySerializer


@_stats_schema(
    UpcomingSerializer, UpcomingQuerySerializer, "Upcoming deadlines of the next N days in one list"
)
class UpcomingView(StatsView):
    name = "upcoming"
    query_serializer = UpcomingQuerySerializer


@_stats_schema(
    CommitmentStatsSerializer,
    ActionStatsQuerySerializer,
    "Commitments: fulfilment rate and late counts per party, organisation and Jalali month",
)
class CommitmentStatsView(StatsView):
    name = "commitments"
    query_serializer = ActionStatsQuerySerializer
