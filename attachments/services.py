"""Writes of attachments: upload and delete, each one transaction."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tracker.exceptions import ConflictError, PermissionDeniedError

from .files import ATTACHMENT_KINDS, check_upload
from .models import Attachment, AttachmentDeletion
from .registry import Attachable
from .selectors import user_can_delete, user_can_upload

TITLE_MAX = 200


def file_sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def delete_stored_file_on_commit(storage: Storage, name: str) -> None:
    """Remove ``name`` from ``storage`` once the transaction that stopped using it commits
    (a rollback keeps the file its row still names)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def attachment_upload(
    *, actor: Any, entry: Attachable, obj: Model, upload: Any, title: str = ""
) -> Attachment:
    """Attach ``upload`` to ``obj`` (staff of an organisation that writes it). The type is
    taken from the content; a name that claims another type is refused."""
    if not user_can_upload(user=actor, entry=entry, obj=obj):
        raise PermissionDeniedError(
            f"برای افزودن پیوست به این {entry.label} باید دست‌کم کارشناس سازمان مسئول آن باشید."
        )
    name, kind = check_upload(upload, kinds=ATTACHMENT_KINDS)
    title = " ".join(str(title or "").split())
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"عنوان پیوست بیش از {TITLE_MAX} نویسه است."})
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(entry.model),
        object_id=obj.pk,
        original_name=name,
        title=title,
        mime_type=kind.mime_type,
        size=upload.size,
        sha256=file_sha256(upload),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except BaseException:
        # The file was written before the row: never leave it behind without one.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_delete(
    *, actor: Any, entry: Attachable, obj: Model, attachment: Attachment
) -> AttachmentDeletion:
    """Delete an attachment (its uploader or a manager), recording who did it; the stored
    file goes once the deletion commits."""
    if not user_can_delete(user=actor, entry=entry, obj=obj, attachment=attachment):
        raise PermissionDeniedError("پیوست را تنها بارگذاری‌کننده آن یا یک مدیر حذف می‌کند.")
    locked = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if locked is None:  # deleted by someone else a moment ago
        raise ConflictError("این پیوست پیش‌تر حذف شده است.")
    record = AttachmentDeletion.objects.create(
        attachment_id=locked.pk,
        content_type_id=locked.content_type_id,
        object_id=locked.object_id,
        original_name=locked.original_name,
        title=locked.title,
        size=locked.size,
        sha256=locked.sha256,
        uploaded_by_id=locked.uploaded_by_id,
        uploaded_at=locked.uploaded_at,
        deleted_by=actor,
        deleted_at=timezone.now(),
    )
    storage, name = locked.file.storage, locked.file.name
    locked.delete()
    delete_stored_file_on_commit(storage, name)
    return record
