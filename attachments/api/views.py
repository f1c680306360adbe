"""API of attachments, one set of routes per registered kind (meetings, agreements, ...).

Thin: the selectors find the object through its own app's scoped selector (404 for an
object the user may not see), the services check roles and the file."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.api.schema import ONE_ERRORS, WRITE_ERRORS, error_responses

from .. import selectors, services
from ..downloads import attachment_response
from .serializers import AttachmentOutputSerializer, AttachmentUploadInputSerializer

OBJECT_ID = OpenApiParameter(
    "object_id", int, OpenApiParameter.PATH, description="شناسه جلسه یا تفاهم‌نامه"
)
ATTACHMENT_ID = OpenApiParameter(
    "attachment_id", int, OpenApiParameter.PATH, description="شناسه پیوست"
)
ON_LIST = [OBJECT_ID]
ON_ONE = [OBJECT_ID, ATTACHMENT_ID]


class _AttachmentBase(generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = AttachmentOutputSerializer
    filter_backends: list[Any] = []
    #: Set per route in urls.py: the registered slug.
    slug: str = ""

    def _target(self) -> Any:
        return selectors.attachable_get_for_user(
            user=self.request.user, slug=self.slug, pk=self.kwargs["object_id"]
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "slug": self.slug}


class AttachmentListView(_AttachmentBase):
    """The object's attachments (newest first, paginated), and uploads to it."""

    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        entry, obj = self._target()
        return selectors.attachment_list(entry=entry, obj=obj)

    @extend_schema(
        parameters=ON_LIST, responses={200: AttachmentOutputSerializer(many=True), **ONE_ERRORS}
    )
    def get(self, request: Request, object_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=ON_LIST,
        request={"multipart/form-data": AttachmentUploadInputSerializer},
        responses={
            201: AttachmentOutputSerializer,
            **error_responses(413),
            **WRITE_ERRORS,
        },
    )
    def post(self, request: Request, object_id: int) -> Response:
        entry, obj = self._target()
        data = AttachmentUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_upload(
            actor=request.user,
            entry=entry,
            obj=obj,
            upload=data.validated_data["file"],
            title=data.validated_data.get("title", ""),
        )
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetailView(_AttachmentBase):
    """One attachment's metadata; DELETE by its uploader or a manager (recorded)."""

    def _attachment(self) -> Any:
        entry, obj = self._target()
        return selectors.attachment_get_for_user(
            user=self.request.user, pk=self.kwargs["attachment_id"], entry=entry, obj=obj
        )

    @extend_schema(parameters=ON_ONE, responses={200: AttachmentOutputSerializer, **ONE_ERRORS})
    def get(self, request: Request, object_id: int, attachment_id: int) -> Response:
        _entry, _obj, attachment = self._attachment()
        return Response(self.get_serializer(attachment).data)

    @extend_schema(parameters=ON_ONE, responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, object_id: int, attachment_id: int) -> Response:
        entry, obj, attachment = self._attachment()
        services.attachment_delete(actor=request.user, entry=entry, obj=obj, attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentDownloadView(AttachmentDetailView):
    """The file itself, as a download (never a public media address)."""

    @extend_schema(
        parameters=ON_ONE,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            **ONE_ERRORS,
        },
    )
    def get(self, request: Request, object_id: int, attachment_id: int) -> FileResponse:  # type: ignore[override]
        _entry, _obj, attachment = self._attachment()
        return attachment_response(attachment)

    http_method_names = ["get", "head", "options"]
