-- Issue 13: a record no unit keeps (a person, a document, a foreign unit)
-- may be changed by the user who created it, read from its audit entry
-- (auth.c, WR_CREATOR); one record's entries are also what an admin looks
-- up to see its history.  Without this index both walked the whole log.
CREATE INDEX audit_log_entity_record ON audit_log (entity, record_id);
