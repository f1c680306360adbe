"""Errors that services raise for rule violations that are not field validation."""

from __future__ import annotations


class ApplicationError(Exception):
    """A refused operation, with a Persian message for the user.

    ``status`` lets the API answer 409 (a state conflict) or 412 (a stale edit) instead of
    the default 400; ``field`` names the input the message is about, when there is one.
    """

    status: int = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The object is in a state that forbids the operation (HTTP 409)."""

    status = 409


class PreconditionFailed(ApplicationError):  # noqa: N818 - named after HTTP 412
    """The client edited a stale copy (HTTP 412)."""

    status = 412


class PermissionDeniedError(ApplicationError):
    """The user's role in the organisation does not allow the operation (HTTP 403)."""

    status = 403
