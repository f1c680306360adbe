"""One person per folded name in an organisation, for the people registered from now on.

A unique partial index on ``(organization_id, name_key)`` replaces the per-name advisory
locks of ``_save_person`` (an import held one per row until it committed, enough of them
to exhaust PostgreSQL's shared lock table). Rows registered before names were compared may
hold two spellings of one person (merging people is a person's decision), so the index
leaves out every row that exists when it is built: its predicate is ``id > <the largest id
at migration time>``, computed here. The constant depends on the database, so the index is
not part of the model's state (``makemigrations`` does not know it); the service maps its
violation to the Persian error on ``full_name`` (organizations.services.PERSON_NAME_INDEX).

Built concurrently (the table stays writable), so the migration is not atomic; a failed
build leaves an invalid index, dropped before the build is tried again.
"""

from django.db import migrations

INDEX = "person_name_unique_per_org_new"


def create_index(apps, schema_editor):
    table = apps.get_model("organizations", "Person")._meta.db_table
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {quote(table)}")  # noqa: S608 - a model table
        (last_id,) = cursor.fetchone()
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(INDEX)}")
        cursor.execute(
            f"CREATE UNIQUE INDEX CONCURRENTLY {quote(INDEX)} ON {quote(table)}"
            f" (organization_id, name_key) WHERE id > {int(last_id)}"
        )


def drop_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("organizations", "0005_standard_spelling")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
