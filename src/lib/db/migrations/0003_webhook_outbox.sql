-- Notifications waiting to be sent to MODERATION_WEBHOOK_URL; delivered rows stay as a record.
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Milliseconds since the Unix epoch; also a lease: a sender moves it forward before trying.
  next_attempt_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  last_error TEXT
);

CREATE INDEX webhook_outbox_due ON webhook_outbox (delivered_at, next_attempt_at);
