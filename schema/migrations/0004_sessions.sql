-- Sign-in sessions and API tokens.  Only a hash of each secret is kept,
-- so a copy of the database does not let anyone in.
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX session_user ON session (user_id);
CREATE TABLE api_token (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  label TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX api_token_user ON api_token (user_id);
