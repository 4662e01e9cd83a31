-- Issue 7: a unit's or the country's review report reads the activities,
-- meetings and incidents of a period within a unit subtree.  With only the
-- single-column unit indexes SQLite walked every row of a unit to test its
-- date; at national scale (1 M activities) the province report took 0.9 s
-- and the nation's 1.7 s, with these 0.15 s and 0.96 s (bench/README.md).
CREATE INDEX activity_unit_start ON activity (unit_id, start_on);
CREATE INDEX activity_start ON activity (start_on);
CREATE INDEX meeting_unit_held ON meeting (unit_id, held_on);
CREATE INDEX meeting_held ON meeting (held_on);
CREATE INDEX incident_unit_occurred ON incident (unit_id, occurred_on);
CREATE INDEX incident_occurred ON incident (occurred_on);
