-- Issue 17: plausibility rules of an indicator's values (domain/plaus.h):
-- a range, no negative values, a share of at most 100 %, and a largest
-- change against the previous period (a factor).  A value that breaks one
-- is saved with a warning; submitting it needs a comment.  Columns as
-- `giapranh schema-sql` generates them.
ALTER TABLE indicator ADD COLUMN plaus_min REAL;
ALTER TABLE indicator ADD COLUMN plaus_max REAL;
ALTER TABLE indicator ADD COLUMN plaus_non_negative INTEGER;
ALTER TABLE indicator ADD COLUMN plaus_max_100 INTEGER;
ALTER TABLE indicator ADD COLUMN plaus_change_factor REAL;
