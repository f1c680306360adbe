"""The import API: upload (202 and the job's URL), the job's state, the user's history."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.api.schema import ERRORS

from .. import selectors, services
from ..models import ImportJob
from .serializers import ImportInputSerializer, ImportJobListSerializer, ImportJobSerializer


class ImportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportJob]
):
    """Bulk imports of one's own: POST a file, then poll the job."""

    serializer_class = ImportJobSerializer
    parser_classes = (MultiPartParser, FormParser)
    ordering = ("-created_at", "-id")

    def get_queryset(self) -> Any:
        qs = selectors.import_job_list_for_user(user=self.request.user)
        if self.action != "list":
            qs = qs.defer(None)
        return qs.order_by("-created_at", "-id")

    def get_serializer_class(self) -> Any:
        return ImportJobListSerializer if self.action == "list" else ImportJobSerializer

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        responses={202: ImportJobSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        """Queue an import; 202 with the job (its ``url`` is polled for the state)."""
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_create(
            actor=request.user,
            kind=data.validated_data["kind"],
            upload=data.validated_data["file"],
            dry_run=data.validated_data["dry_run"],
        )
        body = ImportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(request=None, responses={202: ImportJobSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        """Import for real the file a preview (a dry run kept for confirmation) read."""
        job = services.import_job_confirm(actor=request.user, job=self.get_object())
        body = ImportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
