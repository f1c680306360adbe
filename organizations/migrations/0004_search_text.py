"""Search that an index serves (issue 17): pg_trgm, the SQL fold, and ``search_text``.

``tracker_search_fold(text)`` is the SQL twin of ``tracker.persian.fold`` with every space
and zero-width joiner taken out (what ``tracker.text.PersianNormalize(remove_spaces=True)``
computes per row today). Its tables are frozen here as literals, not imported, so that this
migration means the same thing forever; ``tests/tracker/test_search.py`` checks that they
still equal ``tracker.persian``'s tables, so changing those tables needs a new migration that
replaces the function and refills the columns.

``search_text`` holds the folded fields, one space between two fields (a term never holds a
space, so it cannot match across fields). Triggers write it on every insert and update, from
the row itself and the rows it shows (a person's organisation name); the services never set
it, and no path that writes the rows (admin, imports, bulk_create, raw SQL) can forget it.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

#: tracker.persian: LETTER_MAP and DIGIT_MAP keys, then DELETED_CHARS, SPACE_CHARS and the
#: ASCII whitespace (deleted: TRANSLATE drops what has no counterpart in the target).
FOLD_SOURCE = (
    "\u064a\u0649\u0643\u0629\u06c0\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8"
    "\u06f9\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0640\u064b\u064c"
    "\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065a"
    "\u065b\u065c\u065d\u065e\u065f\u0670\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066"
    "\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff\xa0\u202f\u2007\t\n\r\x0b\x0c \t\n\r"
)
FOLD_TARGET = "\u06cc\u06cc\u06a9\u0647\u064701234567890123456789"

FOLD_SQL = f"""
CREATE OR REPLACE FUNCTION tracker_search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $fold$ SELECT lower(translate(coalesce(value, ''), '{FOLD_SOURCE}', '{FOLD_TARGET}')) $fold$;
"""

TRIGGERS_SQL = """
CREATE FUNCTION organizations_organization_search() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.search_text := concat_ws(' ',
        tracker_search_fold(NEW.name),
        tracker_search_fold(NEW.city),
        tracker_search_fold(NEW.county));
    RETURN NEW;
END $f$;
CREATE TRIGGER organization_search BEFORE INSERT OR UPDATE ON organizations_organization
    FOR EACH ROW EXECUTE FUNCTION organizations_organization_search();

CREATE FUNCTION organizations_person_search() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.search_text := concat_ws(' ',
        tracker_search_fold(NEW.full_name),
        tracker_search_fold(NEW.position_title),
        (SELECT tracker_search_fold(o.name) FROM organizations_organization o
          WHERE o.id = NEW.organization_id));
    RETURN NEW;
END $f$;
CREATE TRIGGER person_search BEFORE INSERT OR UPDATE ON organizations_person
    FOR EACH ROW EXECUTE FUNCTION organizations_person_search();

-- A renamed organisation: its people show its name (their BEFORE trigger recomputes).
CREATE FUNCTION organizations_organization_renamed_people() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    UPDATE organizations_person SET search_text = '' WHERE organization_id = NEW.id;
    RETURN NULL;
END $f$;
CREATE TRIGGER organization_renamed_people AFTER UPDATE OF name ON organizations_organization
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION organizations_organization_renamed_people();
"""

DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS organization_renamed_people ON organizations_organization;
DROP FUNCTION IF EXISTS organizations_organization_renamed_people();
DROP TRIGGER IF EXISTS person_search ON organizations_person;
DROP FUNCTION IF EXISTS organizations_person_search();
DROP TRIGGER IF EXISTS organization_search ON organizations_organization;
DROP FUNCTION IF EXISTS organizations_organization_search();
"""

# The triggers fill the columns: an update that sets nothing else recomputes the row.
FILL_SQL = """
UPDATE organizations_organization SET search_text = '';
UPDATE organizations_person SET search_text = '';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_name_unique_per_parent_choice_checks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunSQL(FOLD_SQL, "DROP FUNCTION IF EXISTS tracker_search_fold(text);"),
        migrations.AddField(
            model_name="organization",
            name="search_text",
            field=models.TextField(db_default="", editable=False, verbose_name="متن جستجو"),
        ),
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.TextField(db_default="", editable=False, verbose_name="متن جستجو"),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_TRIGGERS_SQL),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="organization",
            index=GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="organization_search_trgm"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="person_search_trgm"
            ),
        ),
    ]
