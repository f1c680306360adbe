"""Reads of attachments: always through the registered object's own scoped selector."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from organizations.choices import Role
from organizations.scoping import org_scope_for_user

from .models import Attachment, AttachmentDeletion
from .registry import Attachable, attachable, attachable_for_model_label


def attachable_get_for_user(*, user: Any, slug: str, pk: Any) -> tuple[Attachable, Model]:
    """The registered kind ``slug`` and its object ``pk`` if the user may see it; else 404."""
    entry = attachable(slug)
    if entry is None:
        raise Http404("این نوع موضوع پیوست نمی‌پذیرد.")
    try:
        # The app's selector may prefetch for its own pages; one row is all that is needed.
        obj = entry.visible(user).prefetch_related(None).get(pk=int(pk))
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(f"{entry.label} پیدا نشد.") from exc
    return entry, obj


def attachment_list(*, entry: Attachable, obj: Model) -> QuerySet[Attachment]:
    """The object's attachments, newest first (the caller has checked the object is
    visible: :func:`attachable_get_for_user`)."""
    content_type = ContentType.objects.get_for_model(entry.model)
    return (
        Attachment.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def attachment_deletions(*, entry: Attachable, obj: Model) -> QuerySet[AttachmentDeletion]:
    content_type = ContentType.objects.get_for_model(entry.model)
    return AttachmentDeletion.objects.filter(
        content_type=content_type, object_id=obj.pk
    ).select_related("deleted_by", "uploaded_by")


def attachment_get_for_user(
    *, user: Any, pk: Any, entry: Attachable | None = None, obj: Model | None = None
) -> tuple[Attachable, Model, Attachment]:
    """One attachment whose object the user may see (and, when ``obj`` is given, that
    belongs to it); ``Http404`` otherwise, the same answer as for one that never existed."""
    try:
        attachment = Attachment.objects.select_related("uploaded_by", "content_type").get(
            pk=int(pk)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("پیوست پیدا نشد.") from exc
    if obj is not None and entry is not None:
        if (
            attachment.content_type.model_class() is not entry.model
            or attachment.object_id != obj.pk
        ):
            raise Http404("پیوست پیدا نشد.")
        return entry, obj, attachment
    label = f"{attachment.content_type.app_label}.{attachment.content_type.model}"
    found = attachable_for_model_label(label)
    if found is None:
        raise Http404("پیوست پیدا نشد.")
    entry, obj = attachable_get_for_user(user=user, slug=found.slug, pk=attachment.object_id)
    return entry, obj, attachment


def _writer_ids(entry: Attachable, obj: Model) -> set[int]:
    return {pk for pk in entry.writer_organization_ids(obj) if pk is not None}


def user_can_upload(*, user: Any, entry: Attachable, obj: Model) -> bool:
    """Staff (or more) of an organisation that writes the object."""
    scope = org_scope_for_user(user)
    return any(scope.has_role(pk, Role.STAFF) for pk in _writer_ids(entry, obj))


def user_can_delete(*, user: Any, entry: Attachable, obj: Model, attachment: Attachment) -> bool:
    """The uploader (while still staff there), or a manager of an organisation that writes
    the object."""
    scope = org_scope_for_user(user)
    writers = _writer_ids(entry, obj)
    if attachment.uploaded_by_id == getattr(user, "pk", None) and any(
        scope.has_role(pk, Role.STAFF) for pk in writers
    ):
        return True
    return any(scope.has_role(pk, Role.MANAGER) for pk in writers)
