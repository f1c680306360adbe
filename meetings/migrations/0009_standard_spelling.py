"""Meeting titles, places, publications, series and agenda titles, and attendance group
labels and titles, in the standard Persian spelling the services store from now on
(tracker.persian.standardize: ي→ی, ك→ک, Arabic-Indic digits → Persian, tatweel and stray
spaces removed, the half-space kept). Reversing leaves the text as it is.
"""

from django.db import migrations

from tracker.persian import standardize

BATCH = 500

FIELDS = {
    "Meeting": ("title", "location", "source_publication"),
    "MeetingSeries": ("title",),
    "AgendaItem": ("title",),
    "Attendance": ("group_label", "position_title"),
}


def standardize_text(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        model = apps.get_model("meetings", model_name)
        changed = []
        rows = model.objects.order_by("pk").only("pk", *fields).iterator(chunk_size=BATCH)
        for row in rows:
            before = [getattr(row, name) for name in fields]
            for name in fields:
                setattr(row, name, standardize(getattr(row, name)))
            if [getattr(row, name) for name in fields] != before:
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, fields)
                changed = []
        if changed:
            model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0008_search_text")]

    operations = [migrations.RunPython(standardize_text, migrations.RunPython.noop)]
