-- Markdown in comments, and the spam rules moderators keep.
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

-- How a comment's body is read: 'plain' (every comment written before Markdown, shown exactly as it
-- was) or 'markdown' (the safe subset of lib/comments/markdown.ts).
ALTER TABLE comments ADD COLUMN format TEXT NOT NULL DEFAULT 'plain' CHECK (format IN ('plain', 'markdown'));

-- Words, phrases and link domains a moderator keeps: a new comment that matches one goes straight to
-- Spam, and the audit log says which rule sent it there.
CREATE TABLE spam_rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('phrase', 'domain')),
  -- Lower case, NFKC, white space folded (lib/moderation/spam-rules.ts): one spelling per rule.
  value TEXT NOT NULL,
  created_by TEXT NOT NULL,
  -- Milliseconds since the Unix epoch.
  created_at INTEGER NOT NULL,
  UNIQUE (kind, value)
);

-- The site-wide cap on new comments per hour counts readers' comments by time.
CREATE INDEX comments_by_time ON comments (created_at);
