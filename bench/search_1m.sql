-- One search figure at 1,000,000 meetings (docs/performance.md), on a seeded scale-1 bench
-- database that is yours to write: psql -d <db> -f bench/search_1m.sql. Builds the table
-- with bench/search_1m_build.sql when it is missing, then EXPLAINs the list's SQL without
-- the scope (everything, as a ministry sees it) and with seed_manager's scope in the form the
-- app writes (host in the scope, or a participant in the scope of a confirmed meeting).
\timing on
SELECT to_regclass('bench_search_1m') IS NULL AS build \gset
\if :build
\ir search_1m_build.sql
\endif
\! uptime
-- seed_manager's organisations and everything under them (org_scope_for_user).
WITH RECURSIVE covered(id) AS (
    SELECT m.organization_id FROM organizations_membership m JOIN auth_user u ON u.id = m.user_id
     WHERE u.username = 'seed_manager'
    UNION
    SELECT o.id FROM organizations_organization o JOIN covered c ON o.parent_id = c.id
)
SELECT '{' || string_agg(id::text, ',' ORDER BY id) || '}' AS scope, count(*) AS scope_size
  FROM covered \gset
\echo scope: :scope_size organisations

\echo == everything: no q, first page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m ORDER BY start DESC, id DESC LIMIT 51;
\echo == everything: frequent «پسماند», page and count
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%پسماند%' ORDER BY start DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT id FROM bench_search_1m WHERE search_text LIKE '%پسماند%' LIMIT 1001) s;
\echo == everything: rare «(1234)», page and count
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%(1234)%' ORDER BY start DESC, id DESC LIMIT 51;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT count(*) FROM (SELECT id FROM bench_search_1m WHERE search_text LIKE '%(1234)%' LIMIT 1001) s;
\echo == everything: absent «زعفران», page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%زعفران%' ORDER BY start DESC, id DESC LIMIT 51;

\echo == everything: two words «شهرک صنعتی» ranked as the app ranks them (the first 2,000 matches in list order)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE id IN (
        SELECT id FROM bench_search_1m WHERE search_text LIKE '%شهرک%' AND search_text LIKE '%صنعتی%'
         ORDER BY start DESC, id DESC LIMIT 2000)
 ORDER BY CASE WHEN search_text LIKE '%شهرکصنعتی%' AND strpos(split_part(search_text, ' ', 1), 'شهرکصنعتی') > 0 THEN 2
               WHEN search_text LIKE '%شهرکصنعتی%' THEN 1 ELSE 0 END DESC, start DESC, id DESC LIMIT 51;
\echo == everything: the same, every match ranked (before)
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE search_text LIKE '%شهرک%' AND search_text LIKE '%صنعتی%'
 ORDER BY CASE WHEN search_text LIKE '%شهرکصنعتی%' AND strpos(split_part(search_text, ' ', 1), 'شهرکصنعتی') > 0 THEN 2
               WHEN search_text LIKE '%شهرکصنعتی%' THEN 1 ELSE 0 END DESC, start DESC, id DESC LIMIT 51;

-- The scope's "participant in the scope" subquery is hashed only when its ids fit in
-- work_mem x hash_mem_multiplier (4 MB x 2 by default): at 1,000,000 meetings seed_manager
-- takes part in 730,000 and the plan re-reads a materialised subquery for every row (402 s
-- for the first page without q, measured once); `psql -v work_mem=4MB` shows it, the default here is 64MB.
\if :{?work_mem}
\else
\set work_mem 64MB
\endif
SET work_mem = :'work_mem';
\echo == scoped: no q, first page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m
 WHERE (host_id = ANY(:'scope'::bigint[]) OR id IN (
        SELECT p.meeting_id FROM bench_search_1m_participants p JOIN bench_search_1m v ON v.id = p.meeting_id
         WHERE p.organization_id = ANY(:'scope'::bigint[]) AND NOT v.needs_review))
 ORDER BY start DESC, id DESC LIMIT 51;
\echo == scoped: rare «(1234)», page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m
 WHERE search_text LIKE '%(1234)%' AND (host_id = ANY(:'scope'::bigint[]) OR id IN (
        SELECT p.meeting_id FROM bench_search_1m_participants p JOIN bench_search_1m v ON v.id = p.meeting_id
         WHERE p.organization_id = ANY(:'scope'::bigint[]) AND NOT v.needs_review))
 ORDER BY start DESC, id DESC LIMIT 51;
\echo == scoped: absent «زعفران», page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m
 WHERE search_text LIKE '%زعفران%' AND (host_id = ANY(:'scope'::bigint[]) OR id IN (
        SELECT p.meeting_id FROM bench_search_1m_participants p JOIN bench_search_1m v ON v.id = p.meeting_id
         WHERE p.organization_id = ANY(:'scope'::bigint[]) AND NOT v.needs_review))
 ORDER BY start DESC, id DESC LIMIT 51;
\echo == scoped: frequent «پسماند», page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m
 WHERE search_text LIKE '%پسماند%' AND (host_id = ANY(:'scope'::bigint[]) OR id IN (
        SELECT p.meeting_id FROM bench_search_1m_participants p JOIN bench_search_1m v ON v.id = p.meeting_id
         WHERE p.organization_id = ANY(:'scope'::bigint[]) AND NOT v.needs_review))
 ORDER BY start DESC, id DESC LIMIT 51;
\echo == scoped: two words «شهرک صنعتی» ranked as the app ranks them
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT id FROM bench_search_1m WHERE id IN (
        SELECT id FROM bench_search_1m
         WHERE search_text LIKE '%شهرک%' AND search_text LIKE '%صنعتی%' AND (host_id = ANY(:'scope'::bigint[]) OR id IN (
               SELECT p.meeting_id FROM bench_search_1m_participants p JOIN bench_search_1m v ON v.id = p.meeting_id
                WHERE p.organization_id = ANY(:'scope'::bigint[]) AND NOT v.needs_review))
         ORDER BY start DESC, id DESC LIMIT 2000)
 ORDER BY CASE WHEN search_text LIKE '%شهرکصنعتی%' AND strpos(split_part(search_text, ' ', 1), 'شهرکصنعتی') > 0 THEN 2
               WHEN search_text LIKE '%شهرکصنعتی%' THEN 1 ELSE 0 END DESC, start DESC, id DESC LIMIT 51;
RESET work_mem;
\! uptime
