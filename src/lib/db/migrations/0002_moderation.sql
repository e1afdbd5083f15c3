-- Moderators, their sessions, failed sign-ins (for throttling) and the audit log.
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

CREATE TABLE moderators (
  name TEXT PRIMARY KEY NOT NULL,
  -- "scrypt$N$r$p$salt$hash", salt and hash in base64url; never the password.
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE moderator_sessions (
  -- SHA-256 of the random token in the cookie; the token itself is never stored.
  token_hash TEXT PRIMARY KEY NOT NULL,
  moderator TEXT NOT NULL REFERENCES moderators (name) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE INDEX moderator_sessions_by_moderator ON moderator_sessions (moderator);

-- One row per failed sign-in; `key` is "account:<name>" or "address:<hash>".
CREATE TABLE sign_in_failures (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at);

CREATE TABLE moderation_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  moderator TEXT NOT NULL,
  action TEXT NOT NULL,
  comment_id TEXT,
  detail TEXT
);

CREATE INDEX moderation_log_by_time ON moderation_log (at);
