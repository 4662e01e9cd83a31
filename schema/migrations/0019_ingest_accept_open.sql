-- Issue 15: accepting a read text never fails as a whole.  A document kind
-- outside the catalog is kept as written under "Khác" (and the kinds real
-- border-area texts cite are added); each decision may carry a note - what
-- the acceptance filled in for the official to check, or why the proposal
-- could not be written while the rest of the batch was.  Columns as
-- `giapranh schema-sql` generates them.
ALTER TABLE document ADD COLUMN kind_as_written TEXT;
ALTER TABLE ingest_decision ADD COLUMN note TEXT;
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'HDI', 'Hiệp định', NULL, 200, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'HU', 'Hiệp ước', NULL, 210, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'NDTH', 'Nghị định thư', NULL, 220, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'DU', 'Điều ước', NULL, 230, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'CU', 'Công ước', NULL, 240, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'BBGN', 'Biên bản ghi nhớ', NULL, 250, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'TCC', 'Thông cáo chung', NULL, 260, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'PL', 'Pháp lệnh', 'PL', 270, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'HP', 'Hiến pháp', NULL, 280, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'CL', 'Chiến lược', NULL, 290, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('document_kind', 'KHAC', 'Khác (loại như văn bản ghi)', NULL, 990, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
INSERT INTO catalog_item (catalog, code, label, abbrev, sort_order, active, created_at, updated_at) VALUES ('commendation_form', 'khac', 'Khác (hình thức như văn bản ghi)', NULL, 990, 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z');
