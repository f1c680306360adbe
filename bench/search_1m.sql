-- One search figure at 1,000,000 meetings (docs/performance.md): run on a seeded scale-1
-- bench database: psql -d <db> -f bench/search_1m.sql (builds the table, then EXPLAINs).
\timing on
DROP TABLE IF EXISTS bench_search_1m;
CREATE UNLOGGED TABLE bench_search_1m AS
  SELECT (m.id + g * 100000)::bigint AS id, m.start - g * interval '7 days' AS start, m.search_text
    FROM meetings_meeting m, generate_series(0, 99) g;
CREATE INDEX bench_search_1m_trgm ON bench_search_1m USING gin (search_text gin_trgm_ops);
CREATE INDEX bench_search_1m_start ON bench_search_1m (start, id);
ANALYZE bench_search_1m;
SELECT count(*) FROM bench_search_1m;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%پسماند%' ORDER BY start DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT id FROM bench_search_1m WHERE search_text LIKE '%پسماند%' LIMIT 1001) s;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%8239%' ORDER BY start DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT id FROM bench_search_1m WHERE search_text LIKE '%8239%' LIMIT 1001) s;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%زعفران%' ORDER BY start DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m ORDER BY start DESC, id DESC LIMIT 51;
DROP TABLE bench_search_1m;
