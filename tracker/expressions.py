"""Query expressions of our own."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists


class ProbedExists(Exists):
    """``EXISTS (… OFFSET 0)``: a subquery PostgreSQL probes row by row and never hashes.

    PostgreSQL may run a correlated ``EXISTS`` as a *hashed subplan*: it reads every row of
    the subquery's table once, then looks each outer row up. Its choice counts every outer
    row, even when the condition is reached by a few of them only (the last term of an
    ``AND``, after cheaper ones failed). ``OFFSET 0`` keeps the subquery from being
    simplified into a hashable form, so it is evaluated for the rows that reach it, through
    the index on its correlation column. Use it for a rare branch; leave a plain
    ``Exists`` where most rows need the answer.
    """

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        sql, params = super().as_sql(*args, **kwargs)
        if sql.endswith(")"):
            sql = f"{sql[:-1]} OFFSET 0)"
        return sql, params
