-- A long message goes out in parts (Telegram takes 4,096 characters a message). The parts
-- already delivered are counted, so a retry after a failed later part sends only the rest.

ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
