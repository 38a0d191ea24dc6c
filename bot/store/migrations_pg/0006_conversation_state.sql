-- PostgreSQL twin of migrations/0006_conversation_state.sql (same version; see migrations_pg/__init__.py).
-- Where a citizen is in a multi-step flow (a rating's comment, a feedback form), kept in the
-- store so a restart loses nothing.

CREATE TABLE conversation_state (
    channel     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    flow        TEXT NOT NULL,             -- e.g. rating_comment, feedback
    data        TEXT NOT NULL DEFAULT '{}',-- JSON
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (channel, user_id)
);
