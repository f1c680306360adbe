"""The trigram index of agreements' ``search_text`` (0006), built concurrently: the table
stays writable while the index builds (tests/operations)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("agreements", "0006_search_text")]

    operations = [
        AddIndexConcurrently(
            model_name="agreement",
            index=GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="agreement_search_trgm"
            ),
        ),
    ]
