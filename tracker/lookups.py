"""``field__anyof=ids``: membership in a list of ids as one parameter.

``field__in=ids`` writes ``IN (%s, %s, …)`` with one parameter per id: with a scope of a
thousand organisations every scoped query carries a thousand parameters, and building,
quoting and sending them costs more than the query itself on small pages. On PostgreSQL
``anyof`` writes ``field = ANY(%s::bigint[])`` with the ids as a single array literal
(same plans: PostgreSQL treats ``IN (…)`` as ``= ANY(ARRAY[…])``, hashed from nine elements).
An empty list matches nothing.

Pass an :class:`IdList` to build the literal once and reuse it in every query of a request
(the user's scope does); a plain list or tuple of ints works too.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.db.models import Field, Lookup
from django.db.models.fields.related import ForeignObject


class IdList:
    """Ids as a tuple and as a PostgreSQL array literal (``{1,2,3}``), computed once.

    Not a list or tuple on purpose: Django walks those element by element when it builds a
    filter, and this one is built once per request and used by every scoped query."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.ids = tuple(int(i) for i in ids)

    @cached_property
    def literal(self) -> str:
        return "{" + ",".join(map(str, self.ids)) + "}"

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"IdList({len(self.ids)} ids)"


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "anyof"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return self.rhs if isinstance(self.rhs, IdList) else IdList(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids: IdList = self.rhs
        if not ids.ids:
            return "1 = 0", []
        db_type = self.lhs.output_field.db_type(connection) or "bigint"
        if db_type.endswith("serial"):
            db_type = db_type.replace("serial", "int")
        return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, ids.literal]


Field.register_lookup(AnyOf)
# Relations only inherit lookups registered on ForeignObject and below.
ForeignObject.register_lookup(AnyOf)
