-- Issue 19: monthly sums of the activities, their quantities and the
-- incidents per (unit, month), so that a review report of whole months reads
-- one row per unit, month and group instead of every record
-- (docs/REPORT_QUERIES.md, "Monthly sums").  A month is the first seven
-- characters of the record's date: every write path stores ISO calendar dates
-- (validate.c, bulk.c), so a month's rows are exactly those dated between its
-- first and its last day.  Kept exact by the triggers below on every write,
-- whatever path makes it (API, bulk, import, grid, delete, reorganisation):
-- an insert adds to its row; a delete or an update that moves a record
-- recounts the months it left and entered from the records themselves.
-- Quantities are summed exactly: integral values below 2^31 in isum (a
-- 64-bit integer: no rounding, whatever the order), any other value only
-- counted in nfrac - a report meeting nfrac > 0 reads the records instead.
-- giapranh:engine sqlite
-- SQLite keeps the rows in key order (WITHOUT ROWID): a unit's months are
-- read together, not one table row per index entry.
CREATE TABLE sum_activity_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month)
) WITHOUT ROWID;

-- unit_of_measure NULL is its own group, apart from '': uom_null tells.
CREATE TABLE sum_quantity_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  measure TEXT NOT NULL,
  unit_of_measure TEXT NOT NULL,
  uom_null INTEGER NOT NULL,
  isum INTEGER NOT NULL,
  asum INTEGER NOT NULL,
  nfrac INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_activity_id INTEGER NOT NULL,
  min_quantity_id INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month, kind, measure, unit_of_measure, uom_null)
) WITHOUT ROWID;

-- hidden: the incident's confidential flag, as store_confidential_clauses
-- reads it (COALESCE(confidential, 0) = 1).
CREATE TABLE sum_incident_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  hidden INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_id INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month, kind, status, hidden)
) WITHOUT ROWID;

-- giapranh:engine postgres
CREATE TABLE sum_activity_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month)
);

-- unit_of_measure NULL is its own group, apart from '': uom_null tells.
CREATE TABLE sum_quantity_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  measure TEXT NOT NULL,
  unit_of_measure TEXT NOT NULL,
  uom_null INTEGER NOT NULL,
  isum INTEGER NOT NULL,
  asum INTEGER NOT NULL,
  nfrac INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_activity_id INTEGER NOT NULL,
  min_quantity_id INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month, kind, measure, unit_of_measure, uom_null)
);

-- hidden: the incident's confidential flag, as store_confidential_clauses
-- reads it (COALESCE(confidential, 0) = 1).
CREATE TABLE sum_incident_month (
  unit_id INTEGER NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  hidden INTEGER NOT NULL,
  n INTEGER NOT NULL,
  min_id INTEGER NOT NULL,
  PRIMARY KEY (unit_id, month, kind, status, hidden)
);

-- giapranh:engine all
CREATE INDEX sum_activity_month_month ON sum_activity_month (month);
CREATE INDEX sum_quantity_month_month ON sum_quantity_month (month);
CREATE INDEX sum_incident_month_month ON sum_incident_month (month);

-- A partial index: the qualifiers a report lists one by one are read from
-- it, not from every quantity.
CREATE INDEX activity_quantity_qualified ON activity_quantity (activity_id)
  WHERE qualifier IS NOT NULL AND qualifier <> '';

-- Backfill.
INSERT INTO sum_activity_month (unit_id, month, n)
  SELECT unit_id, substr(start_on, 1, 7), COUNT(*) FROM activity
  GROUP BY unit_id, substr(start_on, 1, 7);
INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
    uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
  SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
    COALESCE(q.unit_of_measure, ''),
    CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
    SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
    SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
    SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
    COUNT(*), MIN(a.id), MIN(q.id)
  FROM activity a JOIN activity_quantity q ON q.activity_id = a.id
  GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
  SELECT unit_id, substr(occurred_on, 1, 7), kind, status,
    CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END, COUNT(*), MIN(id)
  FROM incident
  GROUP BY unit_id, substr(occurred_on, 1, 7), kind, status,
    CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END;

-- The whole country: unit_id 0 (no unit has that id), summed from the
-- units' rows; the triggers keep it so too.
INSERT INTO sum_activity_month (unit_id, month, n)
  SELECT 0, month, SUM(n) FROM sum_activity_month GROUP BY month;
INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
    uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
  SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
    SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id)
  FROM sum_quantity_month GROUP BY month, kind, measure, unit_of_measure, uom_null;
INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
  SELECT 0, month, kind, status, hidden, SUM(n), MIN(min_id)
  FROM sum_incident_month GROUP BY month, kind, status, hidden;

-- giapranh:engine sqlite
-- SQLite: triggers hold statements only; the recount of a month is written
-- out in each trigger that needs it.
CREATE TRIGGER sum_activity_insert AFTER INSERT ON activity BEGIN
  INSERT INTO sum_activity_month (unit_id, month, n)
    VALUES (NEW.unit_id, substr(NEW.start_on, 1, 7), 1)
    ON CONFLICT (unit_id, month) DO UPDATE SET n = n + 1;
  INSERT INTO sum_activity_month (unit_id, month, n)
    VALUES (0, substr(NEW.start_on, 1, 7), 1)
    ON CONFLICT (unit_id, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER sum_activity_delete AFTER DELETE ON activity BEGIN
  DELETE FROM sum_activity_month WHERE unit_id = OLD.unit_id AND month = substr(OLD.start_on, 1, 7);
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT unit_id, substr(start_on, 1, 7), COUNT(*) FROM activity
    WHERE unit_id = OLD.unit_id AND substr(start_on, 1, 7) = substr(OLD.start_on, 1, 7)
    GROUP BY unit_id, substr(start_on, 1, 7);
  DELETE FROM sum_quantity_month WHERE unit_id = OLD.unit_id AND month = substr(OLD.start_on, 1, 7);
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
      COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
      COUNT(*), MIN(a.id), MIN(q.id)
    FROM activity a JOIN activity_quantity q ON q.activity_id = a.id
    WHERE a.unit_id = OLD.unit_id AND substr(a.start_on, 1, 7) = substr(OLD.start_on, 1, 7)
    GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
  DELETE FROM sum_activity_month WHERE unit_id = 0 AND month IN (substr(OLD.start_on, 1, 7));
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT 0, month, SUM(n) FROM sum_activity_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.start_on, 1, 7)) GROUP BY month;
  DELETE FROM sum_quantity_month WHERE unit_id = 0 AND month IN (substr(OLD.start_on, 1, 7));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
      SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id) FROM sum_quantity_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.start_on, 1, 7))
    GROUP BY month, kind, measure, unit_of_measure, uom_null;
END;

-- A moved or re-kinded activity: the month it left and the one it entered
-- are recounted (the same statements as above, for OLD then NEW).
CREATE TRIGGER sum_activity_update AFTER UPDATE OF unit_id, start_on, kind ON activity BEGIN
  DELETE FROM sum_activity_month WHERE (unit_id = OLD.unit_id AND month = substr(OLD.start_on, 1, 7))
    OR (unit_id = NEW.unit_id AND month = substr(NEW.start_on, 1, 7));
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT unit_id, substr(start_on, 1, 7), COUNT(*) FROM activity
    WHERE (unit_id = OLD.unit_id AND substr(start_on, 1, 7) = substr(OLD.start_on, 1, 7))
      OR (unit_id = NEW.unit_id AND substr(start_on, 1, 7) = substr(NEW.start_on, 1, 7))
    GROUP BY unit_id, substr(start_on, 1, 7);
  DELETE FROM sum_quantity_month WHERE (unit_id = OLD.unit_id AND month = substr(OLD.start_on, 1, 7))
    OR (unit_id = NEW.unit_id AND month = substr(NEW.start_on, 1, 7));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
      COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
      COUNT(*), MIN(a.id), MIN(q.id)
    FROM activity a JOIN activity_quantity q ON q.activity_id = a.id
    WHERE (a.unit_id = OLD.unit_id AND substr(a.start_on, 1, 7) = substr(OLD.start_on, 1, 7))
      OR (a.unit_id = NEW.unit_id AND substr(a.start_on, 1, 7) = substr(NEW.start_on, 1, 7))
    GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
  DELETE FROM sum_activity_month WHERE unit_id = 0 AND month IN (substr(OLD.start_on, 1, 7), substr(NEW.start_on, 1, 7));
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT 0, month, SUM(n) FROM sum_activity_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.start_on, 1, 7), substr(NEW.start_on, 1, 7)) GROUP BY month;
  DELETE FROM sum_quantity_month WHERE unit_id = 0 AND month IN (substr(OLD.start_on, 1, 7), substr(NEW.start_on, 1, 7));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
      SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id) FROM sum_quantity_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.start_on, 1, 7), substr(NEW.start_on, 1, 7))
    GROUP BY month, kind, measure, unit_of_measure, uom_null;
END;

CREATE TRIGGER sum_quantity_insert AFTER INSERT ON activity_quantity BEGIN
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, NEW.measure,
      COALESCE(NEW.unit_of_measure, ''), CASE WHEN NEW.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN CAST(NEW.value AS INTEGER) ELSE 0 END ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN abs(CAST(NEW.value AS INTEGER)) ELSE 0 END ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END,
      1, a.id, NEW.id
    FROM activity a WHERE a.id = NEW.activity_id
    ON CONFLICT (unit_id, month, kind, measure, unit_of_measure, uom_null) DO UPDATE SET
      isum = isum + excluded.isum, asum = asum + excluded.asum,
      nfrac = nfrac + excluded.nfrac, n = n + 1,
      min_activity_id = CASE WHEN excluded.min_activity_id < min_activity_id
        THEN excluded.min_activity_id ELSE min_activity_id END,
      min_quantity_id = CASE WHEN excluded.min_quantity_id < min_quantity_id
        THEN excluded.min_quantity_id ELSE min_quantity_id END;
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, substr(a.start_on, 1, 7), a.kind, NEW.measure,
      COALESCE(NEW.unit_of_measure, ''), CASE WHEN NEW.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN CAST(NEW.value AS INTEGER) ELSE 0 END ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN abs(CAST(NEW.value AS INTEGER)) ELSE 0 END ELSE 0 END,
      CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END,
      1, a.id, NEW.id
    FROM activity a WHERE a.id = NEW.activity_id
    ON CONFLICT (unit_id, month, kind, measure, unit_of_measure, uom_null) DO UPDATE SET
      isum = isum + excluded.isum, asum = asum + excluded.asum,
      nfrac = nfrac + excluded.nfrac, n = n + 1,
      min_activity_id = CASE WHEN excluded.min_activity_id < min_activity_id
        THEN excluded.min_activity_id ELSE min_activity_id END,
      min_quantity_id = CASE WHEN excluded.min_quantity_id < min_quantity_id
        THEN excluded.min_quantity_id ELSE min_quantity_id END;
END;

-- A quantity deleted or changed: the month(s) of its activity (before and
-- after) recounted.  An activity deleted with its quantities (ON DELETE
-- CASCADE) is recounted by sum_activity_delete: the join drops the
-- quantities of a deleted activity, whichever trigger runs last.
CREATE TRIGGER sum_quantity_delete AFTER DELETE ON activity_quantity BEGIN
  DELETE FROM sum_quantity_month WHERE EXISTS (SELECT 1 FROM activity o
    WHERE o.id = OLD.activity_id AND sum_quantity_month.unit_id = o.unit_id
    AND sum_quantity_month.month = substr(o.start_on, 1, 7));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
      COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
      COUNT(*), MIN(a.id), MIN(q.id)
    FROM activity o JOIN activity a ON a.unit_id = o.unit_id
      AND substr(a.start_on, 1, 7) = substr(o.start_on, 1, 7)
      JOIN activity_quantity q ON q.activity_id = a.id
    WHERE o.id = OLD.activity_id
    GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
  DELETE FROM sum_quantity_month WHERE unit_id = 0 AND month IN (SELECT substr(start_on, 1, 7) FROM activity WHERE id = OLD.activity_id);
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
      SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id) FROM sum_quantity_month
    WHERE unit_id <> 0 AND month IN (SELECT substr(start_on, 1, 7) FROM activity WHERE id = OLD.activity_id)
    GROUP BY month, kind, measure, unit_of_measure, uom_null;
END;

CREATE TRIGGER sum_quantity_update AFTER UPDATE OF activity_id, measure, value, unit_of_measure
    ON activity_quantity BEGIN
  DELETE FROM sum_quantity_month WHERE EXISTS (SELECT 1 FROM activity o
    WHERE o.id IN (OLD.activity_id, NEW.activity_id) AND sum_quantity_month.unit_id = o.unit_id
    AND sum_quantity_month.month = substr(o.start_on, 1, 7));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
      COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
      COUNT(*), MIN(a.id), MIN(q.id)
    FROM activity a JOIN activity_quantity q ON q.activity_id = a.id
    WHERE EXISTS (SELECT 1 FROM activity o WHERE o.id IN (OLD.activity_id, NEW.activity_id)
      AND a.unit_id = o.unit_id AND substr(a.start_on, 1, 7) = substr(o.start_on, 1, 7))
    GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
  DELETE FROM sum_quantity_month WHERE unit_id = 0 AND month IN (SELECT substr(start_on, 1, 7) FROM activity WHERE id IN (OLD.activity_id, NEW.activity_id));
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
      SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id) FROM sum_quantity_month
    WHERE unit_id <> 0 AND month IN (SELECT substr(start_on, 1, 7) FROM activity WHERE id IN (OLD.activity_id, NEW.activity_id))
    GROUP BY month, kind, measure, unit_of_measure, uom_null;
END;

CREATE TRIGGER sum_incident_insert AFTER INSERT ON incident BEGIN
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    VALUES (NEW.unit_id, substr(NEW.occurred_on, 1, 7), NEW.kind, NEW.status,
      CASE WHEN COALESCE(NEW.confidential, 0) = 1 THEN 1 ELSE 0 END, 1, NEW.id)
    ON CONFLICT (unit_id, month, kind, status, hidden) DO UPDATE SET n = n + 1,
      min_id = CASE WHEN excluded.min_id < min_id THEN excluded.min_id ELSE min_id END;
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    VALUES (0, substr(NEW.occurred_on, 1, 7), NEW.kind, NEW.status,
      CASE WHEN COALESCE(NEW.confidential, 0) = 1 THEN 1 ELSE 0 END, 1, NEW.id)
    ON CONFLICT (unit_id, month, kind, status, hidden) DO UPDATE SET n = n + 1,
      min_id = CASE WHEN excluded.min_id < min_id THEN excluded.min_id ELSE min_id END;
END;

CREATE TRIGGER sum_incident_delete AFTER DELETE ON incident BEGIN
  DELETE FROM sum_incident_month WHERE unit_id = OLD.unit_id AND month = substr(OLD.occurred_on, 1, 7);
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END, COUNT(*), MIN(id)
    FROM incident WHERE unit_id = OLD.unit_id AND substr(occurred_on, 1, 7) = substr(OLD.occurred_on, 1, 7)
    GROUP BY unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END;
  DELETE FROM sum_incident_month WHERE unit_id = 0 AND month IN (substr(OLD.occurred_on, 1, 7));
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT 0, month, kind, status, hidden, SUM(n), MIN(min_id) FROM sum_incident_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.occurred_on, 1, 7))
    GROUP BY month, kind, status, hidden;
END;

CREATE TRIGGER sum_incident_update AFTER UPDATE OF unit_id, occurred_on, kind, status, confidential
    ON incident BEGIN
  DELETE FROM sum_incident_month WHERE (unit_id = OLD.unit_id AND month = substr(OLD.occurred_on, 1, 7))
    OR (unit_id = NEW.unit_id AND month = substr(NEW.occurred_on, 1, 7));
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END, COUNT(*), MIN(id)
    FROM incident WHERE (unit_id = OLD.unit_id AND substr(occurred_on, 1, 7) = substr(OLD.occurred_on, 1, 7))
      OR (unit_id = NEW.unit_id AND substr(occurred_on, 1, 7) = substr(NEW.occurred_on, 1, 7))
    GROUP BY unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END;
  DELETE FROM sum_incident_month WHERE unit_id = 0 AND month IN (substr(OLD.occurred_on, 1, 7), substr(NEW.occurred_on, 1, 7));
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT 0, month, kind, status, hidden, SUM(n), MIN(min_id) FROM sum_incident_month
    WHERE unit_id <> 0 AND month IN (substr(OLD.occurred_on, 1, 7), substr(NEW.occurred_on, 1, 7))
    GROUP BY month, kind, status, hidden;
END;

-- giapranh:engine postgres
-- PostgreSQL: the recounts are functions of (unit, month), the triggers
-- call them; the statements are those of the SQLite triggers.
CREATE FUNCTION sum_activity_recount(u INTEGER, m TEXT) RETURNS void AS $sums$
BEGIN
  DELETE FROM sum_activity_month WHERE unit_id = u AND month = m;
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT unit_id, substr(start_on, 1, 7), COUNT(*) FROM activity
    WHERE unit_id = u AND substr(start_on, 1, 7) = m
    GROUP BY unit_id, substr(start_on, 1, 7);
  DELETE FROM sum_quantity_month WHERE unit_id = u AND month = m;
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure,
      COALESCE(q.unit_of_measure, ''), CASE WHEN q.unit_of_measure IS NULL THEN 1 ELSE 0 END,
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN CAST(q.value AS INTEGER) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN abs(CAST(q.value AS INTEGER)) ELSE 0 END ELSE 0 END),
      SUM(CASE WHEN abs(q.value) < 2147483648 THEN CASE WHEN q.value = CAST(q.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END),
      COUNT(*), MIN(a.id), MIN(q.id)
    FROM activity a JOIN activity_quantity q ON q.activity_id = a.id
    WHERE a.unit_id = u AND substr(a.start_on, 1, 7) = m
    GROUP BY a.unit_id, substr(a.start_on, 1, 7), a.kind, q.measure, q.unit_of_measure;
  DELETE FROM sum_activity_month WHERE unit_id = 0 AND month IN (m);
  INSERT INTO sum_activity_month (unit_id, month, n)
    SELECT 0, month, SUM(n) FROM sum_activity_month
    WHERE unit_id <> 0 AND month IN (m) GROUP BY month;
  DELETE FROM sum_quantity_month WHERE unit_id = 0 AND month IN (m);
  INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
      uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
    SELECT 0, month, kind, measure, unit_of_measure, uom_null, SUM(isum), SUM(asum),
      SUM(nfrac), SUM(n), MIN(min_activity_id), MIN(min_quantity_id) FROM sum_quantity_month
    WHERE unit_id <> 0 AND month IN (m)
    GROUP BY month, kind, measure, unit_of_measure, uom_null;
END;
$sums$ LANGUAGE plpgsql;

CREATE FUNCTION sum_incident_recount(u INTEGER, m TEXT) RETURNS void AS $sums$
BEGIN
  DELETE FROM sum_incident_month WHERE unit_id = u AND month = m;
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END, COUNT(*), MIN(id)
    FROM incident WHERE unit_id = u AND substr(occurred_on, 1, 7) = m
    GROUP BY unit_id, substr(occurred_on, 1, 7), kind, status,
      CASE WHEN COALESCE(confidential, 0) = 1 THEN 1 ELSE 0 END;
  DELETE FROM sum_incident_month WHERE unit_id = 0 AND month IN (m);
  INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
    SELECT 0, month, kind, status, hidden, SUM(n), MIN(min_id) FROM sum_incident_month
    WHERE unit_id <> 0 AND month IN (m)
    GROUP BY month, kind, status, hidden;
END;
$sums$ LANGUAGE plpgsql;

CREATE FUNCTION sum_activity_trigger() RETURNS trigger AS $sums$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sum_activity_month (unit_id, month, n)
      VALUES (NEW.unit_id, substr(NEW.start_on, 1, 7), 1)
      ON CONFLICT (unit_id, month) DO UPDATE SET n = sum_activity_month.n + 1;
    INSERT INTO sum_activity_month (unit_id, month, n)
      VALUES (0, substr(NEW.start_on, 1, 7), 1)
      ON CONFLICT (unit_id, month) DO UPDATE SET n = sum_activity_month.n + 1;
    RETURN NULL;
  END IF;
  PERFORM sum_activity_recount(OLD.unit_id, substr(OLD.start_on, 1, 7));
  IF TG_OP = 'UPDATE' THEN
    PERFORM sum_activity_recount(NEW.unit_id, substr(NEW.start_on, 1, 7));
  END IF;
  RETURN NULL;
END;
$sums$ LANGUAGE plpgsql;
CREATE TRIGGER sum_activity_insert AFTER INSERT ON activity
  FOR EACH ROW EXECUTE FUNCTION sum_activity_trigger();
CREATE TRIGGER sum_activity_delete AFTER DELETE ON activity
  FOR EACH ROW EXECUTE FUNCTION sum_activity_trigger();
CREATE TRIGGER sum_activity_update AFTER UPDATE OF unit_id, start_on, kind ON activity
  FOR EACH ROW EXECUTE FUNCTION sum_activity_trigger();

CREATE FUNCTION sum_quantity_trigger() RETURNS trigger AS $sums$
DECLARE
  u INTEGER;
  m TEXT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
        uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
      SELECT a.unit_id, substr(a.start_on, 1, 7), a.kind, NEW.measure,
        COALESCE(NEW.unit_of_measure, ''), CASE WHEN NEW.unit_of_measure IS NULL THEN 1 ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN CAST(NEW.value AS INTEGER) ELSE 0 END ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN abs(CAST(NEW.value AS INTEGER)) ELSE 0 END ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END,
        1, a.id, NEW.id
      FROM activity a WHERE a.id = NEW.activity_id
      ON CONFLICT (unit_id, month, kind, measure, unit_of_measure, uom_null) DO UPDATE SET
        isum = sum_quantity_month.isum + excluded.isum,
        asum = sum_quantity_month.asum + excluded.asum,
        nfrac = sum_quantity_month.nfrac + excluded.nfrac,
        n = sum_quantity_month.n + 1,
        min_activity_id = CASE WHEN excluded.min_activity_id < sum_quantity_month.min_activity_id
          THEN excluded.min_activity_id ELSE sum_quantity_month.min_activity_id END,
        min_quantity_id = CASE WHEN excluded.min_quantity_id < sum_quantity_month.min_quantity_id
          THEN excluded.min_quantity_id ELSE sum_quantity_month.min_quantity_id END;
    INSERT INTO sum_quantity_month (unit_id, month, kind, measure, unit_of_measure,
        uom_null, isum, asum, nfrac, n, min_activity_id, min_quantity_id)
      SELECT 0, substr(a.start_on, 1, 7), a.kind, NEW.measure,
        COALESCE(NEW.unit_of_measure, ''), CASE WHEN NEW.unit_of_measure IS NULL THEN 1 ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN CAST(NEW.value AS INTEGER) ELSE 0 END ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN abs(CAST(NEW.value AS INTEGER)) ELSE 0 END ELSE 0 END,
        CASE WHEN abs(NEW.value) < 2147483648 THEN CASE WHEN NEW.value = CAST(NEW.value AS INTEGER) THEN 0 ELSE 1 END ELSE 1 END,
        1, a.id, NEW.id
      FROM activity a WHERE a.id = NEW.activity_id
      ON CONFLICT (unit_id, month, kind, measure, unit_of_measure, uom_null) DO UPDATE SET
        isum = sum_quantity_month.isum + excluded.isum,
        asum = sum_quantity_month.asum + excluded.asum,
        nfrac = sum_quantity_month.nfrac + excluded.nfrac,
        n = sum_quantity_month.n + 1,
        min_activity_id = CASE WHEN excluded.min_activity_id < sum_quantity_month.min_activity_id
          THEN excluded.min_activity_id ELSE sum_quantity_month.min_activity_id END,
        min_quantity_id = CASE WHEN excluded.min_quantity_id < sum_quantity_month.min_quantity_id
          THEN excluded.min_quantity_id ELSE sum_quantity_month.min_quantity_id END;
    RETURN NULL;
  END IF;
  -- a quantity whose activity is gone was recounted with the activity
  SELECT unit_id, substr(start_on, 1, 7) INTO u, m FROM activity WHERE id = OLD.activity_id;
  IF FOUND THEN
    PERFORM sum_activity_recount(u, m);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT unit_id, substr(start_on, 1, 7) INTO u, m FROM activity WHERE id = NEW.activity_id;
    IF FOUND THEN
      PERFORM sum_activity_recount(u, m);
    END IF;
  END IF;
  RETURN NULL;
END;
$sums$ LANGUAGE plpgsql;
CREATE TRIGGER sum_quantity_insert AFTER INSERT ON activity_quantity
  FOR EACH ROW EXECUTE FUNCTION sum_quantity_trigger();
CREATE TRIGGER sum_quantity_delete AFTER DELETE ON activity_quantity
  FOR EACH ROW EXECUTE FUNCTION sum_quantity_trigger();
CREATE TRIGGER sum_quantity_update AFTER UPDATE OF activity_id, measure, value, unit_of_measure
  ON activity_quantity FOR EACH ROW EXECUTE FUNCTION sum_quantity_trigger();

CREATE FUNCTION sum_incident_trigger() RETURNS trigger AS $sums$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
      VALUES (NEW.unit_id, substr(NEW.occurred_on, 1, 7), NEW.kind, NEW.status,
        CASE WHEN COALESCE(NEW.confidential, 0) = 1 THEN 1 ELSE 0 END, 1, NEW.id)
      ON CONFLICT (unit_id, month, kind, status, hidden) DO UPDATE SET
        n = sum_incident_month.n + 1,
        min_id = CASE WHEN excluded.min_id < sum_incident_month.min_id
          THEN excluded.min_id ELSE sum_incident_month.min_id END;
    INSERT INTO sum_incident_month (unit_id, month, kind, status, hidden, n, min_id)
      VALUES (0, substr(NEW.occurred_on, 1, 7), NEW.kind, NEW.status,
        CASE WHEN COALESCE(NEW.confidential, 0) = 1 THEN 1 ELSE 0 END, 1, NEW.id)
      ON CONFLICT (unit_id, month, kind, status, hidden) DO UPDATE SET
        n = sum_incident_month.n + 1,
        min_id = CASE WHEN excluded.min_id < sum_incident_month.min_id
          THEN excluded.min_id ELSE sum_incident_month.min_id END;
    RETURN NULL;
  END IF;
  PERFORM sum_incident_recount(OLD.unit_id, substr(OLD.occurred_on, 1, 7));
  IF TG_OP = 'UPDATE' THEN
    PERFORM sum_incident_recount(NEW.unit_id, substr(NEW.occurred_on, 1, 7));
  END IF;
  RETURN NULL;
END;
$sums$ LANGUAGE plpgsql;
CREATE TRIGGER sum_incident_insert AFTER INSERT ON incident
  FOR EACH ROW EXECUTE FUNCTION sum_incident_trigger();
CREATE TRIGGER sum_incident_delete AFTER DELETE ON incident
  FOR EACH ROW EXECUTE FUNCTION sum_incident_trigger();
CREATE TRIGGER sum_incident_update AFTER UPDATE OF unit_id, occurred_on, kind, status, confidential
  ON incident FOR EACH ROW EXECUTE FUNCTION sum_incident_trigger();
