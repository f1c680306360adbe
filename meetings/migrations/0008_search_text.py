"""``search_text`` of meetings and action items, kept by triggers (issue 17).

See organizations/migrations/0004_search_text.py for ``tracker_search_fold`` and the shape
of the column (folded fields, one space between two).

A meeting's text: title, location, the host's name, its attendees (person's name, group
label, title at the meeting), its statements (see below), then the minutes (last, so the
short fields come first). An action item's: description, owner person's and owner
organisation's names, completion note.

Rows that a meeting or an item shows change apart from it, so triggers on them re-touch it
(``UPDATE … SET search_text = ''``; the row's own BEFORE trigger recomputes the whole text):
attendance rows (statement-level, one update per meeting whatever the number of rows), a
person's ``full_name``, an organisation's ``name``.

**Statements**: ``meetings_meeting_statement_search_text`` gives the folded texts of the
meeting's statements in their order; the statement rows re-touch their meeting with the
same statement-level triggers as the attendance rows (``meetings_touch_meetings()`` needs
only a ``meeting_id`` column).

The GIN indexes are built concurrently in 0010_search_indexes (a large table stays
writable while they build).
"""

from django.conf import settings
from django.db import migrations, models

TRIGGERS_SQL = """
CREATE FUNCTION meetings_meeting_attendee_search_text(meeting bigint) RETURNS text
LANGUAGE sql STABLE AS $f$
    SELECT string_agg(concat_ws(' ',
               tracker_search_fold(p.full_name),
               tracker_search_fold(a.group_label),
               tracker_search_fold(a.position_title)), ' ' ORDER BY a.id)
      FROM meetings_attendance a LEFT JOIN organizations_person p ON p.id = a.person_id
     WHERE a.meeting_id = meeting
$f$;

-- What was said at the meeting, in order.
CREATE FUNCTION meetings_meeting_statement_search_text(meeting bigint) RETURNS text
LANGUAGE sql STABLE AS $f$
    SELECT string_agg(tracker_search_fold(s.text), ' ' ORDER BY s."order", s.id)
      FROM meetings_statement s
     WHERE s.meeting_id = meeting
$f$;

CREATE FUNCTION meetings_meeting_search() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.search_text := concat_ws(' ',
        tracker_search_fold(NEW.title),
        tracker_search_fold(NEW.location),
        (SELECT tracker_search_fold(o.name) FROM organizations_organization o
          WHERE o.id = NEW.host_id),
        nullif(meetings_meeting_attendee_search_text(NEW.id), ''),
        nullif(meetings_meeting_statement_search_text(NEW.id), ''),
        tracker_search_fold(NEW.minutes));
    RETURN NEW;
END $f$;
CREATE TRIGGER meeting_search BEFORE INSERT OR UPDATE ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION meetings_meeting_search();

-- Statement-level: the meetings of the changed rows (any table with meeting_id), once each.
CREATE FUNCTION meetings_touch_meetings() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE meetings_meeting SET search_text = ''
         WHERE id IN (SELECT meeting_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE meetings_meeting SET search_text = ''
         WHERE id IN (SELECT meeting_id FROM new_rows UNION SELECT meeting_id FROM old_rows);
    ELSE
        UPDATE meetings_meeting SET search_text = ''
         WHERE id IN (SELECT meeting_id FROM old_rows);
    END IF;
    RETURN NULL;
END $f$;
CREATE TRIGGER attendance_search_insert AFTER INSERT ON meetings_attendance
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();
CREATE TRIGGER attendance_search_update AFTER UPDATE ON meetings_attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();
CREATE TRIGGER attendance_search_delete AFTER DELETE ON meetings_attendance
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();
CREATE TRIGGER statement_search_insert AFTER INSERT ON meetings_statement
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();
CREATE TRIGGER statement_search_update AFTER UPDATE ON meetings_statement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();
CREATE TRIGGER statement_search_delete AFTER DELETE ON meetings_statement
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_touch_meetings();

CREATE FUNCTION meetings_actionitem_search() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.search_text := concat_ws(' ',
        tracker_search_fold(NEW.description),
        (SELECT tracker_search_fold(p.full_name) FROM organizations_person p
          WHERE p.id = NEW.owner_person_id),
        (SELECT tracker_search_fold(o.name) FROM organizations_organization o
          WHERE o.id = NEW.owner_organization_id),
        nullif(tracker_search_fold(NEW.completion_note), ''));
    RETURN NEW;
END $f$;
CREATE TRIGGER actionitem_search BEFORE INSERT OR UPDATE ON meetings_actionitem
    FOR EACH ROW EXECUTE FUNCTION meetings_actionitem_search();

-- A renamed person: the meetings they attended and the items they own.
CREATE FUNCTION meetings_person_renamed() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    UPDATE meetings_meeting SET search_text = ''
     WHERE id IN (SELECT meeting_id FROM meetings_attendance WHERE person_id = NEW.id);
    UPDATE meetings_actionitem SET search_text = '' WHERE owner_person_id = NEW.id;
    RETURN NULL;
END $f$;
CREATE TRIGGER person_renamed_meetings AFTER UPDATE OF full_name ON organizations_person
    FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
    EXECUTE FUNCTION meetings_person_renamed();

-- A renamed organisation: the meetings it hosts and the items it owns.
CREATE FUNCTION meetings_organization_renamed() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    UPDATE meetings_meeting SET search_text = '' WHERE host_id = NEW.id;
    UPDATE meetings_actionitem SET search_text = '' WHERE owner_organization_id = NEW.id;
    RETURN NULL;
END $f$;
CREATE TRIGGER organization_renamed_meetings AFTER UPDATE OF name ON organizations_organization
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION meetings_organization_renamed();
"""

DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS organization_renamed_meetings ON organizations_organization;
DROP FUNCTION IF EXISTS meetings_organization_renamed();
DROP TRIGGER IF EXISTS person_renamed_meetings ON organizations_person;
DROP FUNCTION IF EXISTS meetings_person_renamed();
DROP TRIGGER IF EXISTS actionitem_search ON meetings_actionitem;
DROP FUNCTION IF EXISTS meetings_actionitem_search();
DROP TRIGGER IF EXISTS attendance_search_insert ON meetings_attendance;
DROP TRIGGER IF EXISTS attendance_search_update ON meetings_attendance;
DROP TRIGGER IF EXISTS attendance_search_delete ON meetings_attendance;
DROP TRIGGER IF EXISTS statement_search_insert ON meetings_statement;
DROP TRIGGER IF EXISTS statement_search_update ON meetings_statement;
DROP TRIGGER IF EXISTS statement_search_delete ON meetings_statement;
DROP FUNCTION IF EXISTS meetings_touch_meetings();
DROP TRIGGER IF EXISTS meeting_search ON meetings_meeting;
DROP FUNCTION IF EXISTS meetings_meeting_search();
DROP FUNCTION IF EXISTS meetings_meeting_statement_search_text(bigint);
DROP FUNCTION IF EXISTS meetings_meeting_attendee_search_text(bigint);
"""

FILL_SQL = """
UPDATE meetings_meeting SET search_text = '';
UPDATE meetings_actionitem SET search_text = '';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_statements_review"),
        ("organizations", "0004_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="actionitem",
            name="search_text",
            field=models.TextField(db_default="", editable=False, verbose_name="متن جستجو"),
        ),
        migrations.AddField(
            model_name="meeting",
            name="search_text",
            field=models.TextField(db_default="", editable=False, verbose_name="متن جستجو"),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_TRIGGERS_SQL),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
    ]
