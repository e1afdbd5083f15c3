-- Reader signals: view counts (no cookies, no addresses) and collects (收藏).
-- Statements end with ";" at the end of a line; no BEGIN/COMMIT (the runner batches).

-- Views per essay, language and UTC day.
CREATE TABLE essay_views (
  essay TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
  -- YYYY-MM-DD, UTC.
  day TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (essay, day, lang)
) WITHOUT ROWID;

CREATE INDEX essay_views_by_day ON essay_views (day);

-- A random salt per UTC day; deleted with that day's visitors once the day is over, after which
-- no hash of that day can be tied to anyone again.
CREATE TABLE view_salts (
  day TEXT PRIMARY KEY NOT NULL,
  salt TEXT NOT NULL
) WITHOUT ROWID;

-- Who was counted today: HMAC(day's salt, network + browser + essay). Never an address.
CREATE TABLE view_visitors (
  day TEXT NOT NULL,
  visitor_hash TEXT NOT NULL,
  PRIMARY KEY (day, visitor_hash)
) WITHOUT ROWID;

-- One row per reader who keeps an essay; reader_hash is a keyed hash of the id the reader's device made up.
CREATE TABLE essay_collects (
  essay TEXT NOT NULL,
  reader_hash TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (essay, reader_hash)
) WITHOUT ROWID;

CREATE INDEX essay_collects_by_time ON essay_collects (created_at);

-- Collect and un-collect actions per sender (keyed address hash), for the abuse limit; pruned after the window.
CREATE TABLE collect_actions (
  sender_hash TEXT NOT NULL,
  at INTEGER NOT NULL
);

CREATE INDEX collect_actions_by_sender ON collect_actions (sender_hash, at);

CREATE INDEX collect_actions_by_time ON collect_actions (at);
