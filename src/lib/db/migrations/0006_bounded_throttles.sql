-- Throttles and rate limits that hold: keyed hashes only, records moderation cannot undo, and the
-- indexes pruning and reply threads need. Every table here is pruned after its window.
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

-- Failed sign-ins were kept under the raw submitted name and never pruned; they go, with whatever
-- an attacker put there (run VACUUM afterwards to give a grown file's space back).
DROP TABLE sign_in_failures;

-- One row per sign-in attempt let through to the password check: reserved before the check, in the
-- statement that checks the limits, so a burst cannot overshoot them; a successful sign-in deletes
-- its pair's rows. Keys are HMACs (the runtime secret) of the normalised name (account_key), of the
-- sender's network (address_key) and of both (pair_key); never the raw input.
CREATE TABLE sign_in_attempts (
  id TEXT PRIMARY KEY NOT NULL,
  account_key TEXT NOT NULL,
  address_key TEXT NOT NULL,
  pair_key TEXT NOT NULL,
  -- Milliseconds since the Unix epoch.
  at INTEGER NOT NULL
);

CREATE INDEX sign_in_attempts_by_pair ON sign_in_attempts (pair_key, at);

CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts (address_key, at);

CREATE INDEX sign_in_attempts_by_account ON sign_in_attempts (account_key, at);

CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (at);

-- One row per comment a sender posted under COMMENTS_RATE_LIMIT. The allowance is counted here, not
-- from the comments, so deleting a sender's comments does not give it back.
CREATE TABLE comment_posts (
  sender_hash TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE INDEX comment_posts_by_sender ON comment_posts (sender_hash, at);

CREATE INDEX comment_posts_by_time ON comment_posts (at);

-- The last week's posts carry over, so an update does not hand every sender a fresh allowance.
INSERT INTO comment_posts (sender_hash, at)
SELECT ip_hash, created_at FROM comments
WHERE ip_hash IS NOT NULL AND created_at > (CAST(strftime('%s', 'now') AS INTEGER) - 7 * 86400) * 1000;

-- Replies are looked up by their parent: public threads, deleting a comment with its replies, and
-- the foreign key's ON DELETE, which otherwise scans every comment.
CREATE INDEX comments_by_parent ON comments (parent_id);

CREATE INDEX moderator_sessions_by_expiry ON moderator_sessions (expires_at);

CREATE INDEX webhook_outbox_by_creation ON webhook_outbox (created_at);
