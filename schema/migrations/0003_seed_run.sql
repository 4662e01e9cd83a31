-- Named loads of shipped data (admin units, demo files): `giapranh init`
-- runs each once per database.
CREATE TABLE seed_run (
  name TEXT PRIMARY KEY,
  applied_at TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0
);
