-- The 1,000,000-meeting table of bench/search_1m.sql, built once on a seeded scale-1 bench
-- database that is yours to write (never a colleague's): the scale-1 meetings' search_text,
-- host and participants x 100 (generate_series), `start` shifted a week per copy, with the
-- list's indexes (GIN trigram, (start, id), host) and the participants' (meeting, organisation)
-- index. Drop with: DROP TABLE bench_search_1m, bench_search_1m_participants;
\timing on
SET maintenance_work_mem = '256MB';
DROP TABLE IF EXISTS bench_search_1m, bench_search_1m_participants;
CREATE UNLOGGED TABLE bench_search_1m AS
  SELECT (m.id + g * 100000)::bigint AS id, m.start - g * interval '7 days' AS start,
         m.host_id, m.needs_review, m.search_text
    FROM meetings_meeting m, generate_series(0, 99) g;
CREATE UNLOGGED TABLE bench_search_1m_participants AS
  SELECT (p.meeting_id + g * 100000)::bigint AS meeting_id, p.organization_id
    FROM meetings_meeting_participants p, generate_series(0, 99) g;
ALTER TABLE bench_search_1m ADD PRIMARY KEY (id);
CREATE INDEX bench_search_1m_start ON bench_search_1m (start, id);
CREATE INDEX bench_search_1m_host ON bench_search_1m (host_id);
CREATE INDEX bench_search_1m_participants_mo ON bench_search_1m_participants (meeting_id, organization_id);
CREATE INDEX bench_search_1m_trgm ON bench_search_1m USING gin (search_text gin_trgm_ops);
VACUUM ANALYZE bench_search_1m;
VACUUM ANALYZE bench_search_1m_participants;
SELECT count(*) FROM bench_search_1m;
