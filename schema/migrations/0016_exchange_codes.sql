-- Issue 18.2: exchange of indicator values with aggregate-data systems
-- (DHIS2 dataValueSets, IHE ADX; docs/EXCHANGE.md).  exchange_code names a
-- target set, an indicator's figure or a unit by the other system's UID
-- and code; set_completion keeps a data value set's completeDate.  Tables
-- as `giapranh schema-sql` generates them.
CREATE TABLE exchange_code (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  target_set_id INTEGER NOT NULL REFERENCES target_set(id),
  indicator_id INTEGER REFERENCES indicator(id),
  value_of TEXT,
  unit_id INTEGER REFERENCES admin_unit(id),
  uid TEXT,
  code TEXT,
  category_option_combo TEXT
);
CREATE INDEX exchange_code_target_set_id ON exchange_code (target_set_id);
CREATE INDEX exchange_code_indicator_id ON exchange_code (indicator_id);
CREATE INDEX exchange_code_unit_id ON exchange_code (unit_id);
CREATE UNIQUE INDEX exchange_code_key ON exchange_code (target_set_id, COALESCE(indicator_id, 0), COALESCE(unit_id, 0), COALESCE(value_of, 'actual'));

CREATE TABLE set_completion (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  target_set_id INTEGER NOT NULL REFERENCES target_set(id),
  unit_id INTEGER NOT NULL REFERENCES admin_unit(id),
  period TEXT NOT NULL,
  completed_on TEXT NOT NULL
);
CREATE INDEX set_completion_target_set_id ON set_completion (target_set_id);
CREATE INDEX set_completion_unit_id ON set_completion (unit_id);
CREATE UNIQUE INDEX set_completion_key ON set_completion (target_set_id, unit_id, period);
