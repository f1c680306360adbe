"""The one way a stored attachment leaves the server: a download answer with safe headers."""

from __future__ import annotations

from django.http import FileResponse, Http404

from .models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """Always ``Content-Disposition: attachment`` with the type found at upload and
    ``nosniff``, so a browser never renders an uploaded file inside the site's origin;
    ``sandbox`` stops scripts even if it did."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("فایل این پیوست پیدا نشد.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
