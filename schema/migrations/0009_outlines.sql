-- Issue 16: outlines (đề cương) a report follows, as records: their
-- sections in order, each drawing one kind of record data or the writer's
-- text (report_section); the report's Kính gửi and authority lines.  The
-- four outlines offices ask for most are shipped.  Tables as
-- `giapranh schema-sql` generates them.
CREATE TABLE outline (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  name TEXT NOT NULL,
  report_kind TEXT,
  issuer_org_id INTEGER REFERENCES organisation(id),
  note TEXT
);
CREATE INDEX outline_issuer_org_id ON outline (issuer_org_id);

CREATE TABLE outline_section (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  outline_id INTEGER NOT NULL REFERENCES outline(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  level INTEGER,
  heading TEXT NOT NULL,
  content TEXT NOT NULL,
  guidance TEXT
);
CREATE INDEX outline_section_outline_id ON outline_section (outline_id);

ALTER TABLE report ADD COLUMN addressees TEXT;
ALTER TABLE report ADD COLUMN signer_authority TEXT;
ALTER TABLE report ADD COLUMN outline_id INTEGER REFERENCES outline(id);
CREATE INDEX report_outline_id ON report (outline_id);

CREATE TABLE report_section (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT,
  updated_at TEXT,
  illustrative INTEGER NOT NULL DEFAULT 0,
  search_key TEXT,
  report_id INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  heading TEXT NOT NULL,
  body TEXT
);
CREATE INDEX report_section_report_id ON report_section (report_id);
CREATE UNIQUE INDEX report_section_key ON report_section (report_id, heading);


INSERT INTO outline (created_at, updated_at, search_key, name, report_kind, note) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'so ket, tong ket thuc hien quy che phoi hop', 'Sơ kết, tổng kết thực hiện quy chế phối hợp', 'interim', 'Đề cương thường dùng cho báo cáo sơ kết, tổng kết quy chế phối hợp giữa các huyện, xã giáp ranh và giữa các lực lượng.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'dac diem tinh hinh', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 1, 1, 'Đặc điểm tình hình', 'situation', 'Khái quát quy chế phối hợp (căn cứ, các bên, phạm vi) và tình hình địa bàn.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ket qua thuc hien', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 2, 1, 'Kết quả thực hiện', 'text', 'Đánh giá chung kết quả thực hiện quy chế trong kỳ.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'cong tac hoi nghi, giao ban, trao doi thong tin', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 3, 2, 'Công tác hội nghị, giao ban, trao đổi thông tin', 'meetings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'cac hoat dong phoi hop', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 4, 2, 'Các hoạt động phối hợp', 'activities', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'phoi hop giai quyet vu viec', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 5, 2, 'Phối hợp giải quyết vụ việc', 'incidents', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'thuc hien nhiem vu duoc giao', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 6, 2, 'Thực hiện nhiệm vụ được giao', 'tasks', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'cong tac khen thuong', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 7, 2, 'Công tác khen thưởng', 'commendations', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ton tai, han che', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 8, 1, 'Tồn tại, hạn chế', 'shortcomings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'nguyen nhan', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 9, 1, 'Nguyên nhân', 'text', 'Nguyên nhân khách quan, chủ quan của tồn tại, hạn chế.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'bai hoc kinh nghiem', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 10, 1, 'Bài học kinh nghiệm', 'text', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'phuong huong, nhiem vu', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 11, 1, 'Phương hướng, nhiệm vụ', 'directions', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'kien nghi, de xuat', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện quy chế phối hợp'), 12, 1, 'Kiến nghị, đề xuất', 'proposals', NULL);

INSERT INTO outline (created_at, updated_at, search_key, name, report_kind, note) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'so ket, tong ket thuc hien muc tieu, chi tieu nghi quyet', 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết', 'final', 'Đề cương báo cáo kết quả thực hiện các mục tiêu, chỉ tiêu của nghị quyết đại hội hoặc nghị quyết chuyên đề.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'dac diem tinh hinh', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 1, 1, 'Đặc điểm tình hình', 'text', 'Bối cảnh, thuận lợi, khó khăn khi triển khai nghị quyết.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'cong tac lanh dao, chi dao, trien khai thuc hien', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 2, 1, 'Công tác lãnh đạo, chỉ đạo, triển khai thực hiện', 'meetings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ket qua thuc hien cac muc tieu, chi tieu', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 3, 1, 'Kết quả thực hiện các mục tiêu, chỉ tiêu', 'targets', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'uu diem', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 4, 1, 'Ưu điểm', 'text', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ton tai, han che', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 5, 1, 'Tồn tại, hạn chế', 'shortcomings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'nguyen nhan', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 6, 1, 'Nguyên nhân', 'text', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'bai hoc kinh nghiem', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 7, 1, 'Bài học kinh nghiệm', 'text', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'phuong huong, nhiem vu', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 8, 1, 'Phương hướng, nhiệm vụ', 'directions', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'kien nghi, de xuat', (SELECT id FROM outline WHERE name = 'Sơ kết, tổng kết thực hiện mục tiêu, chỉ tiêu nghị quyết'), 9, 1, 'Kiến nghị, đề xuất', 'proposals', NULL);

INSERT INTO outline (created_at, updated_at, search_key, name, report_kind, note) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'bao cao ket qua giam sat', 'Báo cáo kết quả giám sát', 'supervision', 'Đề cương báo cáo kết quả một cuộc giám sát chuyên đề.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'khai quat chung', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 1, 1, 'Khái quát chung', 'situation', 'Nội dung, đối tượng, phạm vi, thời kỳ giám sát.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ket qua giam sat', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 2, 1, 'Kết quả giám sát', 'findings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'mo hinh tu quan duong bien, moc quoc gioi', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 3, 2, 'Mô hình tự quản đường biên, mốc quốc giới', 'self_mgmt', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'cac hoat dong da thuc hien', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 4, 2, 'Các hoạt động đã thực hiện', 'activities', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ton tai, han che', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 5, 1, 'Tồn tại, hạn chế', 'shortcomings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'kien nghi', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 6, 1, 'Kiến nghị', 'recommendations', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'kien nghi, de xuat khac', (SELECT id FROM outline WHERE name = 'Báo cáo kết quả giám sát'), 7, 2, 'Kiến nghị, đề xuất khác', 'proposals', NULL);

INSERT INTO outline (created_at, updated_at, search_key, name, report_kind, note) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'so ket hoat dong ket nghia', 'Sơ kết hoạt động kết nghĩa', 'interim', 'Đề cương báo cáo sơ kết, tổng kết việc kết nghĩa thôn, bản, xã biên giới hai bên.');
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'tinh hinh chung', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 1, 1, 'Tình hình chung', 'situation', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ket qua thuc hien', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 2, 1, 'Kết quả thực hiện', 'text', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'tien do ky ket theo ke hoach', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 3, 2, 'Tiến độ ký kết theo kế hoạch', 'plan_signed', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'hoat dong giao luu, hop tac', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 4, 2, 'Hoạt động giao lưu, hợp tác', 'activities', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'hoi dam, gap go, trao doi', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 5, 2, 'Hội đàm, gặp gỡ, trao đổi', 'meetings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'thuc hien nhiem vu', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 6, 2, 'Thực hiện nhiệm vụ', 'tasks', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'ton tai, han che', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 7, 1, 'Tồn tại, hạn chế', 'shortcomings', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'phuong huong, nhiem vu', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 8, 1, 'Phương hướng, nhiệm vụ', 'directions', NULL);
INSERT INTO outline_section (created_at, updated_at, search_key, outline_id, position, level, heading, content, guidance) VALUES ('2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'kien nghi, de xuat', (SELECT id FROM outline WHERE name = 'Sơ kết hoạt động kết nghĩa'), 9, 1, 'Kiến nghị, đề xuất', 'proposals', NULL);
