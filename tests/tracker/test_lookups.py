"""``__anyof``: one array parameter, nothing for []."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from meetings.models import Meeting
from tests.factories import MeetingFactory


def _sql(queryset: Any, conn: Any) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.get_compiler(connection=conn).as_sql()


def test_postgresql_sends_the_ids_as_one_array_parameter() -> None:
    sql, params = _sql(Meeting.objects.filter(host__anyof=[3, 1, 2]), connection)
    assert '"host_id" = ANY(%s::bigint[])' in sql
    assert "{3,1,2}" in params  # one parameter: the array literal


def test_an_id_list_builds_its_literal_once() -> None:
    from tracker.lookups import IdList

    ids = IdList([1, 22, 333])
    assert ids.literal == "{1,22,333}"
    assert ids.literal is ids.literal
    _, params = _sql(Meeting.objects.filter(host__anyof=ids, series__anyof=ids), connection)
    assert list(params).count("{1,22,333}") == 2


@pytest.mark.django_db
def test_rows_are_matched_and_an_empty_list_matches_nothing(org_a: Any, org_b: Any) -> None:
    mine = MeetingFactory(host=org_a)
    MeetingFactory(host=org_b)
    assert list(Meeting.objects.filter(host__anyof=[org_a.pk])) == [mine]
    assert list(Meeting.objects.filter(host__anyof=[])) == []
    assert Meeting.objects.filter(host__anyof=[org_a.pk, org_b.pk]).count() == 2
