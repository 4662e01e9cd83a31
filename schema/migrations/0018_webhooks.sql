-- Issue 18 part 5: webhooks for integrators (docs/WEBHOOKS.md).  webhook:
-- the URLs an administrator registers (the secret is write-only: never in
-- an answer, a page or the audit log).  webhook_delivery: the outbox, one
-- row per event and webhook, written in the same transaction as the record
-- it tells of, then the delivery log (status, attempts, last answer).
-- Tables as `giapranh schema-sql` generates them.
CREATE TABLE webhook (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  target_url TEXT NOT NULL,
  secret TEXT,
  entity_filter TEXT,
  active INTEGER,
  note TEXT
);

CREATE TABLE webhook_delivery (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  webhook_id INTEGER NOT NULL REFERENCES webhook(id),
  delivery_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  entity TEXT,
  record_id INTEGER,
  payload TEXT,
  status TEXT NOT NULL,
  attempts INTEGER,
  next_attempt_at TEXT,
  last_status INTEGER,
  last_error TEXT,
  delivered_at TEXT
);
CREATE INDEX webhook_delivery_webhook_id ON webhook_delivery (webhook_id);
-- the delivery thread's scan: the pending rows due, oldest first
CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at);
CREATE UNIQUE INDEX webhook_delivery_key ON webhook_delivery (delivery_id);
