-- PostgreSQL twin of migrations/0008_outbox_parts.sql (same version; see migrations_pg/__init__.py).
-- A long message goes out in parts (Telegram takes 4,096 characters a message). The parts
-- already delivered are counted, so a retry after a failed later part sends only the rest.

ALTER TABLE outbox ADD COLUMN parts_sent BIGINT NOT NULL DEFAULT 0;
