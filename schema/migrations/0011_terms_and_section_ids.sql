-- Issue 16: a Party committee numbers its documents from 01 in each term
-- of the committee (Hướng dẫn 36-HD/VPTW, docs/party-layout.md): the
-- term's first day.  A report's typed text belongs to its outline section
-- by id, so renaming a heading in the outline keeps the text (the heading
-- stays the fallback for text typed before).  Columns as `giapranh
-- schema-sql` generates them.
ALTER TABLE organisation ADD COLUMN term_started_on TEXT;
ALTER TABLE report_section ADD COLUMN outline_section_id INTEGER REFERENCES outline_section(id);
CREATE INDEX report_section_outline_section_id ON report_section (outline_section_id);
