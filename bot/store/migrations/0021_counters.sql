-- Serial numbers from a counter row updated atomically (bot/store/counters.py), instead of
-- reading the latest number and writing the next. Ticket numbers (PAKN-YYYY-NNNNNN) count
-- per year under the name 'pakn-YYYY'; the existing tickets seed each year's counter.

CREATE TABLE counters (
    name            TEXT PRIMARY KEY,
    n               INTEGER NOT NULL
);

INSERT INTO counters(name, n)
SELECT 'pakn-' || substr(number, 6, 4), MAX(CAST(substr(number, 11, 6) AS INTEGER))
FROM feedback GROUP BY substr(number, 6, 4);
