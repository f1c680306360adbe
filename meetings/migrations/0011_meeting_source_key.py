"""``Meeting.source_key``: the fingerprint (tracker.persian.text_key) of the report's text a
meeting was read from, indexed with the host, so a report pasted again is found by one
index lookup instead of normalising every stored text (intake_source.duplicate_of).

The existing meetings read from a text get their key here, in batches; the index is built
concurrently afterwards (the table stays writable), so the migration is not atomic.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

from tracker.persian import text_key

BATCH = 500


def fill_source_keys(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    rows = Meeting.objects.exclude(source_text="").filter(source_key="").only("source_text")
    changed = []
    for meeting in rows.order_by("pk").iterator(chunk_size=BATCH):
        meeting.source_key = text_key(meeting.source_text)
        changed.append(meeting)
        if len(changed) >= BATCH:
            Meeting.objects.bulk_update(changed, ["source_key"])
            changed = []
    if changed:
        Meeting.objects.bulk_update(changed, ["source_key"])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("meetings", "0010_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="source_key",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="کلید متن گزارش"
            ),
        ),
        migrations.RunPython(fill_source_keys, migrations.RunPython.noop, elidable=False),
        AddIndexConcurrently(
            model_name="meeting",
            index=models.Index(
                condition=~models.Q(source_key=""),
                fields=["host", "source_key"],
                name="meeting_host_source_key_idx",
            ),
        ),
    ]
