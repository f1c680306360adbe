"""The trigram indexes of meetings' and action items' ``search_text`` (0008), built
concurrently: the tables stay writable while the index builds (tests/operations)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("meetings", "0009_standard_spelling")]

    operations = [
        AddIndexConcurrently(
            model_name="actionitem",
            index=GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="actionitem_search_trgm"
            ),
        ),
        AddIndexConcurrently(
            model_name="meeting",
            index=GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="meeting_search_trgm"
            ),
        ),
    ]
