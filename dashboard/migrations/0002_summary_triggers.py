"""The triggers that keep the dashboard summaries exact (issue 17), and their first fill.

Every write to a table an aggregate reads calls one ``dashboard_refresh_*`` function for
the agreement, meeting or action item it touches. The function recomputes that row's fact
(visibility set and dimensions, by the selectors' rules), and when it changed, appends
the old fact's −1 and the new fact's +1 to the counts of every registered scope they meet
(the counts are insert-only delta logs, summed by the reads and folded by
``dashboard_compact_summaries()``): in the writer's transaction, whoever the writer is.
``dashboard_rebuild_summaries()`` recomputes every fact and every scope's counts from the
rows (the migration's fill and the ``rebuild_dashboard_summaries`` command).

Locks: a writer locks only its own rows' facts (meeting fact before item facts); the
rebuild locks the facts EXCLUSIVE; registering a scope locks them SHARE (briefly waited
for, dashboard/summaries.py); compaction and the rebuild share an advisory lock.

The visibility rules mirrored here (keep them in step with the selectors):

- agreement (agreements/selectors/visibility.py): the owning organisation; the parties too
  unless the status is internal (draft, internal or legal review), or withdrawn without
  ever having reached negotiation;
- meeting (meetings/selectors.py, ``meeting_list_for_user``): the host; the participants
  that have not declined, unless the meeting still needs review;
- action item (``action_item_scope_for_user``): its meeting's.
"""

from django.db import migrations

TZ = "Asia/Tehran"

SQL = r"""
-- The counts are an insert-only log of deltas (no unique key, no upsert): a writer only
-- appends rows, so two writers never lock the same counter row, in any order (no deadlock,
-- no hot row); a count is the SUM(n) of its key's rows (dashboard_compact_summaries folds them).
CREATE OR REPLACE FUNCTION dashboard_status_delta(v bigint[], st text, d bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO dashboard_scopestatuscount (scope_id, status, n)
    SELECT s.id, st, d FROM dashboard_summaryscope s WHERE s.everything OR s.org_ids && v;
$$;

CREATE OR REPLACE FUNCTION dashboard_day_delta(v bigint[], ser smallint, dy date, d bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO dashboard_scopedaycount (scope_id, series, day, n)
    SELECT s.id, ser, dy, d FROM dashboard_summaryscope s WHERE s.everything OR s.org_ids && v;
$$;

CREATE OR REPLACE FUNCTION dashboard_item_delta(
    v bigint[], o bigint, p bigint, st text, due date, ontime boolean, d bigint
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO dashboard_scopeitemcount (scope_id, org, person, status, due_date, on_time, n)
    SELECT s.id, o, p, st, due, ontime, d
    FROM dashboard_summaryscope s WHERE s.everything OR s.org_ids && v;
    INSERT INTO dashboard_scopeitemtotal (scope_id, org, person, status, on_time, n)
    SELECT s.id, o, p, st, ontime, d
    FROM dashboard_summaryscope s WHERE s.everything OR s.org_ids && v;
$$;

__COMPACT__

-- What an agreement contributes now (no row: it is gone).
CREATE OR REPLACE FUNCTION dashboard_agreement_fact_of(aid bigint)
RETURNS SETOF dashboard_agreementfact LANGUAGE sql STABLE AS $$
    SELECT a.id,
           ARRAY(
               SELECT DISTINCT o FROM (
                   SELECT a.owning_organization_id AS o
                   UNION ALL
                   SELECT p.organization_id FROM agreements_agreementparty p
                   WHERE p.agreement_id = a.id
                     AND a.status NOT IN ('draft', 'internal_review', 'legal_review')
                     AND (a.status <> 'withdrawn' OR EXISTS (
                         SELECT 1 FROM agreements_agreementstatuschange c
                         WHERE c.agreement_id = a.id AND c.to_status = 'negotiation'))
               ) x ORDER BY o
           )::bigint[],
           a.status,
           CASE WHEN a.status IN ('signed', 'in_force', 'expired', 'terminated')
                THEN a.signed_date END
    FROM agreements_agreement a WHERE a.id = aid;
$$;

CREATE OR REPLACE FUNCTION dashboard_refresh_agreement(aid bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old_f dashboard_agreementfact;
    new_f dashboard_agreementfact;
BEGIN
    IF aid IS NULL THEN RETURN; END IF;
    SELECT * INTO old_f FROM dashboard_agreementfact WHERE agreement_id = aid FOR UPDATE;
    SELECT * INTO new_f FROM dashboard_agreement_fact_of(aid);
    IF old_f.agreement_id IS NOT DISTINCT FROM new_f.agreement_id
       AND old_f.vis IS NOT DISTINCT FROM new_f.vis
       AND old_f.status IS NOT DISTINCT FROM new_f.status
       AND old_f.signed_day IS NOT DISTINCT FROM new_f.signed_day THEN
        RETURN;
    END IF;
    -- The fact first: its write takes the lock a scope being registered waits for (see
    -- dashboard/summaries.py, register_scope), so the deltas below see every scope.
    IF new_f.agreement_id IS NULL THEN
        DELETE FROM dashboard_agreementfact WHERE agreement_id = aid;
    ELSE
        INSERT INTO dashboard_agreementfact VALUES (new_f.*)
        ON CONFLICT (agreement_id) DO UPDATE
        SET vis = EXCLUDED.vis, status = EXCLUDED.status, signed_day = EXCLUDED.signed_day;
    END IF;
    IF old_f.agreement_id IS NOT NULL THEN
        PERFORM dashboard_status_delta(old_f.vis, old_f.status, -1);
        IF old_f.signed_day IS NOT NULL THEN
            PERFORM dashboard_day_delta(old_f.vis, 1::smallint, old_f.signed_day, -1);
        END IF;
    END IF;
    IF new_f.agreement_id IS NOT NULL THEN
        PERFORM dashboard_status_delta(new_f.vis, new_f.status, 1);
        IF new_f.signed_day IS NOT NULL THEN
            PERFORM dashboard_day_delta(new_f.vis, 1::smallint, new_f.signed_day, 1);
        END IF;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION dashboard_meeting_fact_of(mid bigint)
RETURNS SETOF dashboard_meetingfact LANGUAGE sql STABLE AS $$
    SELECT m.id,
           ARRAY(
               SELECT DISTINCT o FROM (
                   SELECT m.host_id AS o
                   UNION ALL
                   SELECT p.organization_id FROM meetings_meeting_participants p
                   WHERE p.meeting_id = m.id AND NOT m.needs_review
                     AND NOT EXISTS (
                         SELECT 1 FROM meetings_participantresponse r
                         WHERE r.meeting_id = m.id AND r.organization_id = p.organization_id
                           AND r.response = 'declined')
               ) x ORDER BY o
           )::bigint[],
           CASE WHEN m.status IN ('held', 'minutes_approved')
                THEN (m.start AT TIME ZONE '__TZ__')::date END
    FROM meetings_meeting m WHERE m.id = mid;
$$;

CREATE OR REPLACE FUNCTION dashboard_item_fact_of(iid bigint)
RETURNS SETOF dashboard_actionitemfact LANGUAGE sql STABLE AS $$
    SELECT i.id, i.meeting_id, f.vis, COALESCE(i.owner_organization_id, 0),
           COALESCE(i.owner_person_id, 0), i.status, i.due_date,
           COALESCE(i.status = 'done'
                    AND (i.completed_at AT TIME ZONE '__TZ__')::date <= i.due_date, false)
    FROM meetings_actionitem i JOIN dashboard_meetingfact f ON f.meeting_id = i.meeting_id
    WHERE i.id = iid AND i.status IN ('open', 'done');
$$;

CREATE OR REPLACE FUNCTION dashboard_refresh_item(iid bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old_f dashboard_actionitemfact;
    new_f dashboard_actionitemfact;
BEGIN
    IF iid IS NULL THEN RETURN; END IF;
    -- The meeting's fact first, FOR SHARE (the order of dashboard_refresh_meeting: meeting
    -- fact, then item facts): a transaction changing the meeting's visibility in flight
    -- commits first, and the item's fact below (a new statement) reads its new visibility;
    -- a later one waits for this one and then moves this item with the meeting.
    PERFORM 1 FROM dashboard_meetingfact
    WHERE meeting_id = (SELECT meeting_id FROM meetings_actionitem WHERE id = iid) FOR SHARE;
    SELECT * INTO old_f FROM dashboard_actionitemfact WHERE item_id = iid FOR UPDATE;
    SELECT * INTO new_f FROM dashboard_item_fact_of(iid);
    IF old_f.item_id IS NOT DISTINCT FROM new_f.item_id
       AND old_f.meeting_id IS NOT DISTINCT FROM new_f.meeting_id
       AND old_f.vis IS NOT DISTINCT FROM new_f.vis
       AND old_f.org IS NOT DISTINCT FROM new_f.org
       AND old_f.person IS NOT DISTINCT FROM new_f.person
       AND old_f.status IS NOT DISTINCT FROM new_f.status
       AND old_f.due_date IS NOT DISTINCT FROM new_f.due_date
       AND old_f.on_time IS NOT DISTINCT FROM new_f.on_time THEN
        RETURN;
    END IF;
    -- The fact first (the lock a scope being registered waits for).
    IF new_f.item_id IS NULL THEN
        DELETE FROM dashboard_actionitemfact WHERE item_id = iid;
    ELSE
        INSERT INTO dashboard_actionitemfact VALUES (new_f.*)
        ON CONFLICT (item_id) DO UPDATE
        SET meeting_id = EXCLUDED.meeting_id, vis = EXCLUDED.vis, org = EXCLUDED.org,
            person = EXCLUDED.person, status = EXCLUDED.status, due_date = EXCLUDED.due_date,
            on_time = EXCLUDED.on_time;
    END IF;
    IF old_f.item_id IS NOT NULL THEN
        PERFORM dashboard_item_delta(old_f.vis, old_f.org, old_f.person, old_f.status,
                                     old_f.due_date, old_f.on_time, -1);
    END IF;
    IF new_f.item_id IS NOT NULL THEN
        PERFORM dashboard_item_delta(new_f.vis, new_f.org, new_f.person, new_f.status,
                                     new_f.due_date, new_f.on_time, 1);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION dashboard_refresh_meeting(mid bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old_f dashboard_meetingfact;
    new_f dashboard_meetingfact;
    iid bigint;
BEGIN
    IF mid IS NULL THEN RETURN; END IF;
    SELECT * INTO old_f FROM dashboard_meetingfact WHERE meeting_id = mid FOR UPDATE;
    SELECT * INTO new_f FROM dashboard_meeting_fact_of(mid);
    IF old_f.meeting_id IS NOT DISTINCT FROM new_f.meeting_id
       AND old_f.vis IS NOT DISTINCT FROM new_f.vis
       AND old_f.held_day IS NOT DISTINCT FROM new_f.held_day THEN
        RETURN;
    END IF;
    -- The fact first (the lock a scope being registered waits for).
    IF new_f.meeting_id IS NULL THEN
        DELETE FROM dashboard_meetingfact WHERE meeting_id = mid;
    ELSE
        INSERT INTO dashboard_meetingfact VALUES (new_f.*)
        ON CONFLICT (meeting_id) DO UPDATE SET vis = EXCLUDED.vis, held_day = EXCLUDED.held_day;
    END IF;
    IF old_f.held_day IS NOT NULL THEN
        PERFORM dashboard_day_delta(old_f.vis, 2::smallint, old_f.held_day, -1);
    END IF;
    IF new_f.held_day IS NOT NULL THEN
        PERFORM dashboard_day_delta(new_f.vis, 2::smallint, new_f.held_day, 1);
    END IF;
    IF old_f.vis IS DISTINCT FROM new_f.vis THEN
        -- The items see through their meeting: move them with it.
        FOR iid IN
            SELECT id FROM meetings_actionitem WHERE meeting_id = mid
            UNION SELECT item_id FROM dashboard_actionitemfact WHERE meeting_id = mid
        LOOP
            PERFORM dashboard_refresh_item(iid);
        END LOOP;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION dashboard_agreement_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM dashboard_refresh_agreement(OLD.id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
        PERFORM dashboard_refresh_agreement(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_agreement_child_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM dashboard_refresh_agreement(OLD.agreement_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.agreement_id <> OLD.agreement_id) THEN
        PERFORM dashboard_refresh_agreement(NEW.agreement_id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_meeting_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM dashboard_refresh_meeting(OLD.id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
        PERFORM dashboard_refresh_meeting(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_meeting_child_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM dashboard_refresh_meeting(OLD.meeting_id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id <> OLD.meeting_id) THEN
        PERFORM dashboard_refresh_meeting(NEW.meeting_id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_item_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM dashboard_refresh_item(OLD.id); END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
        PERFORM dashboard_refresh_item(NEW.id);
    END IF;
    RETURN NULL;
END $$;

__ROW_TRIGGERS__

-- One scope's counts from the facts (a new scope, or the rebuild).
CREATE OR REPLACE FUNCTION dashboard_build_scope(sid bigint)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s dashboard_summaryscope;
BEGIN
    SELECT * INTO s FROM dashboard_summaryscope WHERE id = sid;
    DELETE FROM dashboard_scopestatuscount WHERE scope_id = sid;
    DELETE FROM dashboard_scopedaycount WHERE scope_id = sid;
    DELETE FROM dashboard_scopeitemcount WHERE scope_id = sid;
    DELETE FROM dashboard_scopeitemtotal WHERE scope_id = sid;
    INSERT INTO dashboard_scopestatuscount (scope_id, status, n)
    SELECT sid, status, COUNT(*) FROM dashboard_agreementfact
    WHERE s.everything OR vis && s.org_ids GROUP BY status;
    INSERT INTO dashboard_scopedaycount (scope_id, series, day, n)
    SELECT sid, 1, signed_day, COUNT(*) FROM dashboard_agreementfact
    WHERE signed_day IS NOT NULL AND (s.everything OR vis && s.org_ids) GROUP BY signed_day;
    INSERT INTO dashboard_scopedaycount (scope_id, series, day, n)
    SELECT sid, 2, held_day, COUNT(*) FROM dashboard_meetingfact
    WHERE held_day IS NOT NULL AND (s.everything OR vis && s.org_ids) GROUP BY held_day;
    INSERT INTO dashboard_scopeitemcount (scope_id, org, person, status, due_date, on_time, n)
    SELECT sid, org, person, status, due_date, on_time, COUNT(*) FROM dashboard_actionitemfact
    WHERE s.everything OR vis && s.org_ids GROUP BY org, person, status, due_date, on_time;
    INSERT INTO dashboard_scopeitemtotal (scope_id, org, person, status, on_time, n)
    SELECT sid, org, person, status, on_time, SUM(n) FROM dashboard_scopeitemcount
    WHERE scope_id = sid GROUP BY org, person, status, on_time;
END $$;

-- Every fact and every scope's counts again from the rows (idempotent).
CREATE OR REPLACE FUNCTION dashboard_rebuild_summaries()
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    sid bigint;
BEGIN
    -- No compaction meanwhile (it would fold rows this deletes into a row it does not).
    PERFORM pg_advisory_xact_lock(__COMPACT_LOCK__);
    -- No writer between the reads of the rows and the counts: one in flight commits first
    -- (its rows are read), a later one waits and then applies its delta to the rebuilt facts.
    LOCK TABLE dashboard_agreementfact, dashboard_meetingfact, dashboard_actionitemfact
        IN EXCLUSIVE MODE;
    DELETE FROM dashboard_actionitemfact;
    DELETE FROM dashboard_meetingfact;
    DELETE FROM dashboard_agreementfact;
    INSERT INTO dashboard_agreementfact
    SELECT f.* FROM agreements_agreement a, LATERAL dashboard_agreement_fact_of(a.id) f;
    INSERT INTO dashboard_meetingfact
    SELECT f.* FROM meetings_meeting m, LATERAL dashboard_meeting_fact_of(m.id) f;
    INSERT INTO dashboard_actionitemfact
    SELECT i.id, i.meeting_id, f.vis, COALESCE(i.owner_organization_id, 0),
           COALESCE(i.owner_person_id, 0), i.status, i.due_date,
           COALESCE(i.status = 'done'
                    AND (i.completed_at AT TIME ZONE '__TZ__')::date <= i.due_date, false)
    FROM meetings_actionitem i JOIN dashboard_meetingfact f ON f.meeting_id = i.meeting_id
    WHERE i.status IN ('open', 'done');
    FOR sid IN SELECT id FROM dashboard_summaryscope ORDER BY id LOOP
        PERFORM dashboard_build_scope(sid);
    END LOOP;
END $$;

-- TRUNCATE fires no row trigger: the summaries are rebuilt from what is left.
CREATE OR REPLACE FUNCTION dashboard_truncate_trg() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dashboard_rebuild_summaries();
    RETURN NULL;
END $$;
__TRUNCATE_TRIGGERS__

SELECT dashboard_rebuild_summaries();
""".replace("__TZ__", TZ)

#: The columns each source's facts read: an UPDATE that sets none of them fires nothing.
SOURCES = {
    "agreements_agreement": ("id", "owning_organization_id", "status", "signed_date"),
    "agreements_agreementparty": ("agreement_id", "organization_id"),
    "agreements_agreementstatuschange": ("agreement_id", "to_status"),
    "meetings_meeting": ("id", "host_id", "needs_review", "status", "start"),
    "meetings_meeting_participants": ("meeting_id", "organization_id"),
    "meetings_participantresponse": ("meeting_id", "organization_id", "response"),
    "meetings_actionitem": (
        "id",
        "meeting_id",
        "owner_organization_id",
        "owner_person_id",
        "status",
        "due_date",
        "completed_at",
    ),
}
TRIGGER_FUNCTIONS = {
    "agreements_agreement": "dashboard_agreement_trg",
    "agreements_agreementparty": "dashboard_agreement_child_trg",
    "agreements_agreementstatuschange": "dashboard_agreement_child_trg",
    "meetings_meeting": "dashboard_meeting_trg",
    "meetings_meeting_participants": "dashboard_meeting_child_trg",
    "meetings_participantresponse": "dashboard_meeting_child_trg",
    "meetings_actionitem": "dashboard_item_trg",
}
SQL = SQL.replace(
    "__ROW_TRIGGERS__",
    "\n".join(
        f"CREATE TRIGGER dashboard_summary AFTER INSERT OR DELETE OR UPDATE OF {', '.join(cols)}"
        f" ON {table} FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTIONS[table]}();"
        for table, cols in SOURCES.items()
    ),
)

#: Serialises compaction with itself and with the rebuild (a transaction-level advisory lock).
COMPACT_LOCK = 1_707_017
#: Each count table and its key.
COUNTS = {
    "dashboard_scopestatuscount": ("scope_id", "status"),
    "dashboard_scopedaycount": ("scope_id", "series", "day"),
    "dashboard_scopeitemcount": ("scope_id", "org", "person", "status", "due_date", "on_time"),
    "dashboard_scopeitemtotal": ("scope_id", "org", "person", "status", "on_time"),
}


def _fold(table: str, key: tuple[str, ...]) -> str:
    cols = ", ".join(key)
    join = " AND ".join(f"t.{c} = k.{c}" for c in key)
    returned = ", ".join(f"t.{c}" for c in key)
    return f"""
    WITH fold_keys AS (
        SELECT {cols} FROM {table} GROUP BY {cols} HAVING COUNT(*) > 1 OR SUM(n) = 0
    ), gone AS (
        DELETE FROM {table} t USING fold_keys k WHERE {join} RETURNING {returned}, t.n
    ), kept AS (
        INSERT INTO {table} ({cols}, n)
        SELECT {cols}, SUM(n) FROM gone GROUP BY {cols} HAVING SUM(n) <> 0
    )
    SELECT COUNT(*) INTO rows_folded FROM gone;
    folded := folded + rows_folded;"""  # noqa: S608  (our table and column names)


COMPACT = f"""
-- Each key's delta rows folded into one (none when they sum to 0); the rows folded.
-- Writers append meanwhile (their rows, not yet visible, are left for the next run); a
-- second compaction, or one during a rebuild, does nothing.
CREATE OR REPLACE FUNCTION dashboard_compact_summaries() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint := 0;
    rows_folded bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock({COMPACT_LOCK}) THEN RETURN 0; END IF;
    {"".join(_fold(t, key) for t, key in COUNTS.items())}
    RETURN folded;
END $$;
"""
SQL = SQL.replace("__COMPACT__", COMPACT).replace("__COMPACT_LOCK__", str(COMPACT_LOCK))

SQL = SQL.replace(
    "__TRUNCATE_TRIGGERS__",
    "\n".join(
        f"CREATE TRIGGER dashboard_summary_truncate AFTER TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION dashboard_truncate_trg();"
        for table in SOURCES
    ),
)

REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS dashboard_summary_truncate ON {table};\n" for table in SOURCES)
    + """
DROP TRIGGER IF EXISTS dashboard_summary ON agreements_agreement;
DROP TRIGGER IF EXISTS dashboard_summary ON agreements_agreementparty;
DROP TRIGGER IF EXISTS dashboard_summary ON agreements_agreementstatuschange;
DROP TRIGGER IF EXISTS dashboard_summary ON meetings_meeting;
DROP TRIGGER IF EXISTS dashboard_summary ON meetings_meeting_participants;
DROP TRIGGER IF EXISTS dashboard_summary ON meetings_participantresponse;
DROP TRIGGER IF EXISTS dashboard_summary ON meetings_actionitem;
DROP FUNCTION IF EXISTS dashboard_truncate_trg, dashboard_agreement_trg, dashboard_agreement_child_trg,
    dashboard_meeting_trg, dashboard_meeting_child_trg, dashboard_item_trg,
    dashboard_rebuild_summaries, dashboard_build_scope, dashboard_refresh_meeting,
    dashboard_refresh_item, dashboard_refresh_agreement, dashboard_item_fact_of,
    dashboard_meeting_fact_of, dashboard_agreement_fact_of, dashboard_item_delta,
    dashboard_day_delta, dashboard_status_delta, dashboard_compact_summaries;
"""
)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_summaries"),
        ("agreements", "0007_search_indexes"),
        ("meetings", "0010_search_indexes"),
        ("organizations", "0005_standard_spelling"),
    ]

    operations = [migrations.RunSQL(SQL, REVERSE)]
