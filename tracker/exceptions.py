"""Errors that services raise for rule violations that are not field validation, and the
translation of a unique constraint a concurrent request won into the service's own error."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import IntegrityError, transaction


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


@contextmanager
def unique_violation_as(errors: Mapping[str, Exception]) -> Iterator[None]:
    """Run the block in a savepoint; a unique constraint named in ``errors`` that the database
    refuses becomes that error instead of an ``IntegrityError`` (a 500).

    The services check uniqueness before they insert, with a Persian message naming the
    field; two requests can both pass the check, and the database lets one of them win. The
    loser gets the same message as if it had come second. Keys are PostgreSQL constraint
    names; any other integrity error is re-raised as it was.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        diag = getattr(exc.__cause__, "diag", None)
        error = errors.get(getattr(diag, "constraint_name", None) or "")
        if error is None:
            raise
        raise error from exc
