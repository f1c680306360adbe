"""Commitments as attachable objects, and their evidence files.

The attachments app (a lower layer) offers a registry; this module fills it for commitments
(``/api/v1/commitments/{id}/attachments/`` and the page follow from it) and registers the
handler that stores the files given with «انجام شد» as the commitment's attachments, in the
same transaction as the move. Writers: staff of the agreement's owner and of the party.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attachments.files import ATTACHMENT_KINDS, check_upload
from attachments.models import Attachment
from attachments.registry import Attachable, register
from attachments.services import attachment_upload
from tracker.jalali import format_date

from .models import Commitment, CommitmentOccurrence
from .selectors import commitment_list_for_user
from .services import register_evidence_handler


def _writers(commitment: Commitment) -> list[int | None]:
    return [commitment.agreement.owning_organization_id, commitment.party.organization_id]


def register_commitments() -> Attachable:
    entry = register(
        slug="commitments",
        model=Commitment,
        label="تعهد",
        visible=lambda user: commitment_list_for_user(user=user),
        writer_organization_ids=_writers,
    )

    def store_evidence(
        occurrence: CommitmentOccurrence, files: Sequence[Any], actor: Any
    ) -> Callable[[], None]:
        """Store the files; returns what deletes them again (the move calls it when it
        fails after this)."""
        title = f"مستند انجام (سررسید {format_date(occurrence.due_date)})"
        # Every file is checked before any is stored: a refused second file must not leave
        # the first one in storage when the move rolls back.
        for upload in files:
            check_upload(upload, kinds=ATTACHMENT_KINDS, field="files")
            upload.seek(0)
        stored: list[Attachment] = []

        def discard() -> None:
            for attachment in stored:
                attachment.file.storage.delete(attachment.file.name)

        try:
            for upload in files:
                stored.append(
                    attachment_upload(
                        actor=actor,
                        entry=entry,
                        obj=occurrence.commitment,
                        upload=upload,
                        title=title,
                    )
                )
        except BaseException:
            discard()
            raise
        return discard

    register_evidence_handler(store_evidence)
    return entry
