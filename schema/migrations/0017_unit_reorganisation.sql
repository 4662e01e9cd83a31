-- Issue 18 part 4: reorganisations of administrative units after 2025
-- (giapranh units reorganise, /admin/units/reorganise, docs/UNITS.md).  A
-- lineage row says how the old unit went into the new one: merge (one of
-- several units put together), split (the old unit divided) or rename (one
-- into one, the same territory).  The rows of 1 July 2025 are classed from
-- what they already say: partial (the old commune divided) is a split;
-- a new unit formed from several is a merge; the rest went one into one.
ALTER TABLE unit_lineage ADD COLUMN kind TEXT;
UPDATE unit_lineage SET kind = CASE
  WHEN partial = 1 THEN 'split'
  WHEN (SELECT COUNT(*) FROM unit_lineage o WHERE o.new_unit_id = unit_lineage.new_unit_id) > 1 THEN 'merge'
  ELSE 'rename' END;
