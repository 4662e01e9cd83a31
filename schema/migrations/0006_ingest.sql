-- Issue 9: reports read by `giapranh ingest` and the page "Nhập từ văn bản"
-- wait as batches of proposals; each decision on a proposal is kept with the
-- record it became.  Tables as `giapranh schema-sql` generates them.
CREATE TABLE ingest_batch (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  source_name TEXT NOT NULL,
  document_id INTEGER REFERENCES document(id),
  publication_date TEXT,
  proposals_json TEXT,
  proposal_count INTEGER,
  state TEXT NOT NULL,
  created_by INTEGER REFERENCES app_user(id),
  decided_on TEXT
);
CREATE INDEX ingest_batch_document_id ON ingest_batch (document_id);
CREATE INDEX ingest_batch_created_by ON ingest_batch (created_by);

CREATE TABLE ingest_decision (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  batch_id INTEGER NOT NULL REFERENCES ingest_batch(id) ON DELETE CASCADE,
  proposal_id TEXT NOT NULL,
  kind TEXT,
  decision TEXT NOT NULL,
  edited_json TEXT,
  record_entity TEXT,
  record_id INTEGER,
  records_json TEXT
);
CREATE INDEX ingest_decision_batch_id ON ingest_decision (batch_id);
CREATE UNIQUE INDEX ingest_decision_key ON ingest_decision (batch_id, proposal_id);
