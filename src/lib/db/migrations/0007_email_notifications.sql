-- Reply notifications by email (SMTP_URL): who asked for them, and the messages waiting to go.
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

-- A commenter's consent to hear about replies, with its time; the address is the comment's own.
-- Unsubscribing keeps the row (the consent's record) and stamps when it was withdrawn.
CREATE TABLE reply_subscriptions (
  comment_id TEXT PRIMARY KEY REFERENCES comments (id) ON DELETE CASCADE,
  consented_at INTEGER NOT NULL,
  unsubscribed_at INTEGER
);

-- Emails to send, rendered when sent (in the recipient's language, from the comments as they are
-- then). `dedupe_key` makes queueing the same notification twice a no-op.
CREATE TABLE email_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  comment_id TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
  dedupe_key TEXT NOT NULL UNIQUE,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Milliseconds since the Unix epoch; also a lease: a sender moves it forward before trying.
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT
);

CREATE INDEX email_outbox_due ON email_outbox (delivered_at, next_attempt_at);
CREATE INDEX email_outbox_comment ON email_outbox (comment_id);
