-- Issue 17: reminders.  A user's e-mail address, where the daily digest of
-- what is due goes (column as `giapranh schema-sql` generates it), and the
-- digests sent: one row per user and day, claimed before the mail goes out
-- (the primary key makes a second run of the same day send nothing, from
-- the command line or the server, however many run at once).
ALTER TABLE app_user ADD COLUMN email TEXT;
CREATE TABLE reminder_digest (
  user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  items INTEGER NOT NULL,
  PRIMARY KEY (user_id, day)
);
