"""``search_text`` of agreements, kept by triggers (issue 17).

See organizations/migrations/0004_search_text.py for ``tracker_search_fold`` and the shape
of the column. An agreement's text: reference number, title, subject, then the text of its
current version (last: it is the long one). A version row that changes (a new current
version, the old one no longer current, a deletion) re-touches its agreement, once per
statement.
"""

from django.conf import settings
from django.db import migrations, models

TRIGGERS_SQL = """
CREATE FUNCTION agreements_agreement_search() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    NEW.search_text := concat_ws(' ',
        tracker_search_fold(NEW.reference_number),
        tracker_search_fold(NEW.title),
        nullif(tracker_search_fold(NEW.subject), ''),
        (SELECT tracker_search_fold(v.text) FROM agreements_agreementversion v
          WHERE v.agreement_id = NEW.id AND v.is_current
          ORDER BY v.number DESC LIMIT 1));
    RETURN NEW;
END $f$;
CREATE TRIGGER agreement_search BEFORE INSERT OR UPDATE ON agreements_agreement
    FOR EACH ROW EXECUTE FUNCTION agreements_agreement_search();

CREATE FUNCTION agreements_touch_agreements() RETURNS trigger
LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE agreements_agreement SET search_text = ''
         WHERE id IN (SELECT agreement_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE agreements_agreement SET search_text = ''
         WHERE id IN (SELECT agreement_id FROM new_rows
                      UNION SELECT agreement_id FROM old_rows);
    ELSE
        UPDATE agreements_agreement SET search_text = ''
         WHERE id IN (SELECT agreement_id FROM old_rows);
    END IF;
    RETURN NULL;
END $f$;
CREATE TRIGGER version_search_insert AFTER INSERT ON agreements_agreementversion
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_touch_agreements();
CREATE TRIGGER version_search_update AFTER UPDATE ON agreements_agreementversion
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_touch_agreements();
CREATE TRIGGER version_search_delete AFTER DELETE ON agreements_agreementversion
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION agreements_touch_agreements();
"""

DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS version_search_insert ON agreements_agreementversion;
DROP TRIGGER IF EXISTS version_search_update ON agreements_agreementversion;
DROP TRIGGER IF EXISTS version_search_delete ON agreements_agreementversion;
DROP FUNCTION IF EXISTS agreements_touch_agreements();
DROP TRIGGER IF EXISTS agreement_search ON agreements_agreement;
DROP FUNCTION IF EXISTS agreements_agreement_search();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_status_change_lock_version"),
        ("organizations", "0004_search_text"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="search_text",
            field=models.TextField(db_default="", editable=False, verbose_name="متن جستجو"),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_TRIGGERS_SQL),
        migrations.RunSQL(
            "UPDATE agreements_agreement SET search_text = '';", migrations.RunSQL.noop
        ),
    ]
