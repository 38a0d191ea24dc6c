-- PostgreSQL twin of migrations/0021_counters.sql (same version; see migrations_pg/__init__.py).
-- Serial numbers from a counter row updated atomically (bot/store/counters.py), instead of
-- reading the latest number and writing the next. Ticket numbers (PAKN-YYYY-NNNNNN) count
-- per year under the name 'pakn-YYYY'; the existing tickets seed each year's counter.

CREATE TABLE counters (
    name            TEXT PRIMARY KEY,
    n               BIGINT NOT NULL
);

INSERT INTO counters(name, n)
SELECT 'pakn-' || substr(number, 6, 4), MAX(CAST(substr(number, 11, 6) AS BIGINT))
FROM feedback GROUP BY substr(number, 6, 4);
