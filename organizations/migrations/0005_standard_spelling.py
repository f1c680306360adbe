"""Names of organisations and people in the standard Persian spelling (ي→ی, ك→ک, Arabic-Indic
digits → Persian, tatweel and stray spaces removed, the half-space kept), as the services
store them from now on (tracker.persian.standardize).

The keys (``name_key``) are recomputed from the standardised names. ``standardize`` never
changes what ``normalize`` makes of a name, so no two organisations under one parent come
to share a key here (the unique constraint holds); two people of one organisation who are
two spellings of one name stay two rows: merging people is a person's decision.
Reversing leaves the names as they are (the old spellings are not kept).
"""

from django.db import migrations

from tracker.persian import normalize, standardize

BATCH = 500


def _standardize(model, fields, key_source):
    changed = []
    for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
        before = [getattr(row, name) for name in fields] + [row.name_key]
        for name in fields:
            setattr(row, name, standardize(getattr(row, name)))
        row.name_key = normalize(getattr(row, key_source))
        if [getattr(row, name) for name in fields] + [row.name_key] != before:
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, [*fields, "name_key"])
            changed = []
    if changed:
        model.objects.bulk_update(changed, [*fields, "name_key"])


def standardize_names(apps, schema_editor):
    _standardize(
        apps.get_model("organizations", "Organization"),
        ("name", "province", "county", "city"),
        "name",
    )
    _standardize(
        apps.get_model("organizations", "Person"), ("full_name", "position_title"), "full_name"
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0004_search_text")]

    operations = [migrations.RunPython(standardize_names, migrations.RunPython.noop)]
