-- Comments and the settings the comment service keeps (its generated secret).
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (Cloudflare D1 refuses them: the runner batches).

CREATE TABLE comments (
  id TEXT PRIMARY KEY NOT NULL,
  essay TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
  parent_id TEXT REFERENCES comments (id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  email TEXT,
  body TEXT NOT NULL,
  is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
  is_author INTEGER NOT NULL DEFAULT 0 CHECK (is_author IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
  -- Salted hash of the sender's network address: enough to rate-limit, never the address itself.
  ip_hash TEXT,
  -- Milliseconds since the Unix epoch.
  created_at INTEGER NOT NULL,
  moderated_at INTEGER
);

CREATE INDEX comments_by_essay ON comments (essay, status, created_at);

CREATE INDEX comments_by_sender ON comments (ip_hash, created_at);

CREATE INDEX comments_by_status ON comments (status, created_at);

CREATE TABLE comment_settings (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);
