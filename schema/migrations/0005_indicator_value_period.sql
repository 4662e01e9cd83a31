-- Issue 7: the values of one indicator and period (all units, a province's
-- communes, the count by achievement band) read from one index, in unit
-- order, without touching the table: target and actual are in the index.
CREATE INDEX indicator_value_period ON indicator_value (indicator_id, period, unit_id, target, actual);
