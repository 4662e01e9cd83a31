/*
 * schema.c - the entity table.  One line per field; everything else
 * (storage, validation, JSON, CSV, forms, reports) reads it.  A change here
 * needs a migration in schema/migrations (test_registry checks they agree).
 */
#include "base/gplimits.h"
#include "schema/registry.h"

#define N TEXT_FIELD_MAX_DEFAULT
#define TEXT(n, l, fl, max)  { n, FT_TEXT, l, fl, 0, max, NULL }
#define LONG(n, l, fl)       { n, FT_TEXT, l, (fl) | F_LONG, 0, TEXT_LONG_MAX, NULL }
/* a period: the written form ("6 tháng đầu năm 2024") may be this long, the
 * canonical code stored ("2024-H1") at most VI_PERIOD_CODE_MAX - 1 */
#define PERIOD(n, l, fl)     { n, FT_TEXT, l, (fl) | F_PERIOD, 0, 64, NULL }
#define INT(n, l, fl, lo, hi) { n, FT_INTEGER, l, fl, lo, hi, NULL }
#define DEC(n, l, fl, lo, hi) { n, FT_DECIMAL, l, fl, lo, hi, NULL }
#define DATE(n, l, fl)       { n, FT_DATE, l, fl, 0, 0, NULL }
#define ENUM(n, l, fl, ch)   { n, FT_ENUM, l, fl, 0, 0, ch }
#define CAT(n, l, fl, cat)   { n, FT_CATALOG, l, fl, 0, 0, cat }
#define BOOL(n, l, fl)       { n, FT_BOOLEAN, l, fl, 0, 0, NULL }
#define REF(n, l, fl, ent)   { n, FT_REF, l, fl, 0, 0, ent }

/*
 * Structured text (registry.h, F_STRUCTURED): text with a format that code
 * reads later is parsed when written and stored canonical (validate.c), so
 * that lists filtered by it and reports built from it find what was
 * written; anything else is refused with the forms accepted.
 *   F_PERIOD       indicator_value.period, activity.period,
 *                  supervision_finding.period, report.period
 *                  ("quý 4/2025" -> "2025-Q4"; read by lists, achievement,
 *                  duties, reports, the grid)
 *   F_REPORT_SCOPE report.scope ("unit:084" -> "unit:ID"; a report is built
 *                  and issued from it)
 *   F_CODE_LIST    agreement.domains (codes of catalog "domain")
 * Left as free text, on purpose:
 *   document.number_symbol   reports cite documents by what they give of the
 *                            number ("Kết luận số 160" for 160-KL/TU), and
 *                            foreign or old documents have no Decree 30 form:
 *                            a strict parser (text.h doc_number_parse) would
 *                            refuse facts the sources state
 *   cluster.host_rotation    a description of the turns; the order itself is
 *                            cluster_member.host_order, which is typed
 *   *.aliases                any names, split on ";" only to be searched
 *   *.qualifier              a word shown as written ("trên", "gần")
 *   *.unit_of_measure        as written in the source ("lượt người")
 *   border_marker.number, indicator.code, admin_unit.code
 *                            identifiers without a grammar of their own
 *   report.recipients        lines shown as written
 *   attachment.owner_entity, ingest_decision.record_entity, status_change.*,
 *   audit_log.*              written by the system, not parsed from input
 *   indicator.expression     checked (F_EXPR), stored as written
 */
/* wr: who may write its records (enum write_rule in registry.h; the table
 * of docs/SECURITY.md lists them, checked by test_auth) */
#define ENTITY(nm, lb, sec, title, fl, uniq, wr) \
	static const struct entity_def nm##_entity = { #nm, lb, sec, title, \
	    nm##_fields, sizeof(nm##_fields) / sizeof(nm##_fields[0]), fl, uniq, wr }

#define S_UNITS  "Đơn vị hành chính"
#define S_PROG   "Chương trình & thỏa thuận"
#define S_TARGET "Chỉ tiêu"
#define S_MEET   "Hội nghị"
#define S_ACT    "Hoạt động"
#define S_INC    "Vụ việc"
#define S_REC    "Kiến nghị & nhiệm vụ"
#define S_SUP    "Giám sát"
#define S_COMM   "Khen thưởng"
#define S_REPORT "Báo cáo"
#define S_ADMIN  "Quản trị"
#define S_INGEST "Nhập từ văn bản"

/* ---- catalogs ---------------------------------------------------------- */

static const struct field_def catalog_item_fields[] = {
	TEXT("catalog", "Danh mục", F_REQUIRED | F_LIST, 64),
	TEXT("code", "Mã", F_REQUIRED | F_LIST | F_SEARCH, 64),
	TEXT("label", "Tên", F_REQUIRED | F_LIST | F_SEARCH, 200),
	TEXT("abbrev", "Viết tắt / đơn vị tính", F_LIST | F_SEARCH, 64),
	INT("sort_order", "Thứ tự", 0, 0, 0),
	BOOL("active", "Đang dùng", F_LIST),
};
ENTITY(catalog_item, "Danh mục", S_ADMIN, "label", E_REFERENCE, "catalog, code",
    WR_REFERENCE);

/* ---- administrative units --------------------------------------------- */

static const struct field_def admin_unit_fields[] = {
	TEXT("code", "Mã đơn vị", F_REQUIRED | F_LIST | F_SEARCH, 16),
	TEXT("name", "Tên", F_REQUIRED | F_LIST | F_SEARCH, 200),
	TEXT("type", "Loại", F_REQUIRED | F_LIST, 64),
	INT("level", "Cấp", F_REQUIRED | F_LIST, 1, 4),
	REF("parent_id", "Đơn vị cấp trên", F_LIST, "admin_unit"),
	DATE("valid_from", "Hiệu lực từ", F_LIST),
	DATE("valid_to", "Hiệu lực đến", F_LIST),
	BOOL("is_border", "Biên giới", F_LIST),
	BOOL("is_extremely_difficult", "Đặc biệt khó khăn", 0),
	BOOL("is_meritorious", "Có công", 0),
	BOOL("is_poor_district", "Huyện nghèo", 0),
	TEXT("flags_note", "Nguồn của các cờ (biên giới, ĐBKK…)", 0, 500),
};
ENTITY(admin_unit, "Đơn vị hành chính", S_UNITS, "name", E_REFERENCE,
    "code, COALESCE(valid_from, '')", WR_REFERENCE);

static const struct field_def unit_lineage_fields[] = {
	REF("old_unit_id", "Đơn vị cũ", F_REQUIRED | F_LIST, "admin_unit"),
	REF("new_unit_id", "Đơn vị mới", F_REQUIRED | F_LIST, "admin_unit"),
	DATE("effective_on", "Ngày hiệu lực", F_REQUIRED | F_LIST),
	TEXT("legal_basis", "Căn cứ pháp lý", F_LIST | F_SEARCH, 500),
	BOOL("partial", "Một phần (đơn vị cũ bị chia)", 0),
};
ENTITY(unit_lineage, "Sắp xếp đơn vị", S_UNITS, "legal_basis", E_REFERENCE,
    "old_unit_id, new_unit_id", WR_REFERENCE);

static const struct field_def village_fields[] = {
	TEXT("name", "Tên thôn, bản", F_REQUIRED | F_LIST | F_SEARCH, 200),
	CAT("kind", "Loại", F_LIST, "village_kind"),
	REF("commune_id", "Xã", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	BOOL("is_border", "Sát biên giới", F_LIST),
	INT("households", "Số hộ", 0, 0, 1e6),
};
ENTITY(village, "Thôn, bản", S_UNITS, "name", 0, NULL, WR_SCOPE);

static const struct field_def foreign_unit_fields[] = {
	TEXT("name_vi", "Tên tiếng Việt", F_REQUIRED | F_LIST | F_SEARCH, 200),
	TEXT("name_native", "Tên nguyên ngữ", F_LIST | F_SEARCH, 200),
	TEXT("aliases", "Cách viết khác (cách nhau bởi ;)", F_SEARCH, 500),
	CAT("country", "Quốc gia", F_REQUIRED | F_LIST, "country"),
	CAT("type", "Loại", F_REQUIRED | F_LIST, "foreign_unit_type"),
	REF("parent_id", "Đơn vị cấp trên", F_LIST, "foreign_unit"),
};
ENTITY(foreign_unit, "Đơn vị nước ngoài", S_UNITS, "name_vi", 0, NULL, WR_CREATOR);

/* ---- bodies and people -------------------------------------------------- */

static const struct field_def organisation_fields[] = {
	TEXT("name", "Tên cơ quan, tổ chức", F_REQUIRED | F_LIST | F_SEARCH, 300),
	TEXT("short_name", "Tên viết tắt", F_LIST | F_SEARCH, 64),
	TEXT("aliases", "Cách viết khác (cách nhau bởi ;)", F_SEARCH, 500),
	CAT("kind", "Loại", F_REQUIRED | F_LIST, "org_kind"),
	REF("unit_id", "Địa bàn", F_LIST, "admin_unit"),
	REF("foreign_unit_id", "Địa bàn nước ngoài", 0, "foreign_unit"),
	REF("parent_id", "Cơ quan cấp trên", 0, "organisation"),
};
ENTITY(organisation, "Cơ quan, tổ chức", S_ADMIN, "name", 0, NULL, WR_ORG);

static const struct field_def person_fields[] = {
	TEXT("full_name", "Họ và tên", F_REQUIRED | F_LIST | F_SEARCH, 200),
	CAT("gender", "Giới tính", 0, "gender"),
	TEXT("note", "Ghi chú", 0, N),
};
ENTITY(person, "Cá nhân", S_ADMIN, "full_name", 0, NULL, WR_CREATOR);

static const struct field_def position_fields[] = {
	REF("person_id", "Người giữ chức vụ", F_REQUIRED | F_LIST | F_OWNER, "person"),
	REF("organisation_id", "Cơ quan", F_LIST, "organisation"),
	TEXT("title", "Chức vụ", F_REQUIRED | F_LIST | F_SEARCH, 300),
	DATE("valid_from", "Từ ngày", F_LIST),
	DATE("valid_to", "Đến ngày", F_LIST),
};
ENTITY(position, "Chức vụ", S_ADMIN, "title", 0, NULL, WR_OWNER);

/* ---- documents and programs ------------------------------------------- */

static const struct field_def attachment_fields[] = {
	TEXT("sha256", "Mã băm SHA-256", F_REQUIRED | F_SYSTEM | F_LIST, 64),
	TEXT("filename", "Tên tệp", F_REQUIRED | F_LIST | F_SEARCH, 255),
	TEXT("content_type", "Kiểu nội dung", F_REQUIRED | F_LIST, 100),
	INT("size", "Kích thước (byte)", F_REQUIRED | F_SYSTEM | F_LIST, 0, 1e12),
	TEXT("owner_entity", "Gắn với loại bản ghi", F_LIST, 64),
	INT("owner_id", "Gắn với bản ghi số", F_LIST, 0, 0),
	TEXT("caption", "Chú thích", F_SEARCH, 500),
};
ENTITY(attachment, "Tệp đính kèm", S_ADMIN, "filename", 0, NULL, WR_OWNER);

static const struct field_def document_fields[] = {
	CAT("kind", "Loại văn bản", F_REQUIRED | F_LIST, "document_kind"),
	TEXT("number_symbol", "Số, ký hiệu", F_LIST | F_SEARCH, 64),
	DATE("issued_on", "Ngày ban hành", F_LIST),
	REF("issuer_id", "Cơ quan ban hành", F_LIST, "organisation"),
	TEXT("title", "Trích yếu", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	REF("related_document_id", "Văn bản liên quan", 0, "document"),
	REF("attachment_id", "Tệp văn bản", 0, "attachment"),
};
ENTITY(document, "Văn bản", S_PROG, "title", 0, NULL, WR_CREATOR);

static const struct field_def program_fields[] = {
	TEXT("name", "Tên chương trình", F_REQUIRED | F_LIST | F_SEARCH, 500),
	REF("owner_org_id", "Cơ quan chủ trì", F_LIST | F_SCOPE, "organisation"),
	REF("unit_id", "Địa bàn", F_LIST | F_SCOPE, "admin_unit"),
	REF("document_id", "Văn bản căn cứ", 0, "document"),
	DATE("start_on", "Bắt đầu", F_LIST),
	DATE("end_on", "Kết thúc", F_LIST),
	INT("planned_count", "Số lượng theo kế hoạch", 0, 0, 1e6),
	LONG("description", "Mô tả", F_SEARCH),
};
ENTITY(program, "Chương trình", S_PROG, "name", 0, NULL, WR_SCOPE);

static const struct field_def agreement_fields[] = {
	CAT("kind", "Loại thỏa thuận", F_REQUIRED | F_LIST, "agreement_kind"),
	TEXT("title", "Tên thỏa thuận", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	REF("program_id", "Thuộc chương trình", F_LIST, "program"),
	ENUM("status", "Trạng thái", F_REQUIRED | F_LIST,
	    "planned=Dự kiến|negotiating=Đang đàm phán|signed=Đã ký kết|"
	    "active=Đang thực hiện|ended=Đã kết thúc"),
	REF("document_id", "Văn bản", 0, "document"),
	DATE("signed_on", "Ngày ký", F_LIST),
	DATE("valid_from", "Hiệu lực từ", 0),
	DATE("valid_to", "Hiệu lực đến", F_LIST),
	{ "domains", FT_TEXT, "Lĩnh vực (mã, cách nhau bởi ;)", F_CODE_LIST, 0, 200,
	  "domain" },
	REF("renews_id", "Gia hạn / thay thế thỏa thuận", 0, "agreement"),
	REF("unit_id", "Địa bàn chính", F_LIST | F_SCOPE, "admin_unit"),
	LONG("description", "Nội dung tóm tắt", F_SEARCH),
};
ENTITY(agreement, "Thỏa thuận, quy chế", S_PROG, "title", 0, NULL, WR_SCOPE);

static const struct field_def agreement_party_fields[] = {
	REF("agreement_id", "Thỏa thuận", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "agreement"),
	CAT("role", "Vai trò", F_REQUIRED | F_LIST, "party_role"),
	REF("unit_id", "Đơn vị hành chính", F_LIST, "admin_unit"),
	REF("organisation_id", "Cơ quan, tổ chức", F_LIST, "organisation"),
	REF("foreign_unit_id", "Đơn vị nước ngoài", F_LIST, "foreign_unit"),
	REF("person_id", "Người đại diện / ký", 0, "person"),
	DATE("from_on", "Từ ngày", 0),
	DATE("to_on", "Đến ngày", 0),
};
ENTITY(agreement_party, "Bên tham gia", S_PROG, "role", 0, NULL, WR_OWNER);

static const struct field_def agreement_item_fields[] = {
	REF("agreement_id", "Thỏa thuận", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "agreement"),
	INT("number", "Số thứ tự", F_REQUIRED | F_LIST, 1, 1000),
	TEXT("content", "Nội dung", F_REQUIRED | F_LIST | F_SEARCH, 4000),
};
ENTITY(agreement_item, "Nội dung thỏa thuận", S_PROG, "content", 0,
    "agreement_id, number", WR_OWNER);

static const struct field_def status_change_fields[] = {
	TEXT("entity", "Loại bản ghi", F_REQUIRED | F_LIST, 64),
	INT("record_id", "Bản ghi", F_REQUIRED | F_LIST, 0, 0),
	TEXT("from_status", "Từ trạng thái", F_LIST, 64),
	TEXT("to_status", "Sang trạng thái", F_REQUIRED | F_LIST, 64),
	DATE("changed_on", "Ngày", F_REQUIRED | F_LIST),
	REF("user_id", "Người thực hiện", 0, "app_user"),
	TEXT("note", "Ghi chú", 0, N),
};
ENTITY(status_change, "Lịch sử trạng thái", S_ADMIN, "to_status", E_READONLY, NULL,
    WR_SYSTEM);

static const struct field_def cluster_fields[] = {
	REF("agreement_id", "Thỏa thuận", F_LIST | F_SCOPE, "agreement"),
	TEXT("name", "Tên cụm", F_REQUIRED | F_LIST | F_SEARCH, 300),
	ENUM("briefing_frequency", "Định kỳ giao ban", F_LIST,
	    "monthly=Hằng tháng|quarterly=Hằng quý|half_yearly=6 tháng|yearly=Hằng năm"),
	TEXT("host_rotation", "Luân phiên đăng cai", 0, 500),
	DATE("last_briefing_on", "Giao ban gần nhất", F_LIST | F_SYSTEM),
};
ENTITY(cluster, "Cụm giáp ranh", S_PROG, "name", 0, NULL, WR_SCOPE);

static const struct field_def cluster_member_fields[] = {
	REF("cluster_id", "Cụm", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "cluster"),
	REF("unit_id", "Xã", F_LIST, "admin_unit"),
	REF("village_id", "Thôn, bản", F_LIST, "village"),
	REF("foreign_unit_id", "Đơn vị nước ngoài", 0, "foreign_unit"),
	INT("host_order", "Thứ tự đăng cai", F_LIST, 0, 1000),
};
ENTITY(cluster_member, "Thành viên cụm", S_PROG, "host_order", 0, NULL, WR_OWNER);

/* ---- border places and self-management -------------------------------- */

static const struct field_def border_marker_fields[] = {
	TEXT("number", "Số hiệu mốc", F_REQUIRED | F_LIST | F_SEARCH, 32),
	REF("commune_id", "Xã quản lý", F_LIST | F_SCOPE, "admin_unit"),
	REF("border_post_id", "Đồn biên phòng phụ trách", 0, "organisation"),
	CAT("country", "Tuyến biên giới với", F_LIST, "country"),
	TEXT("section", "Đoạn biên giới", F_SEARCH, 200),
	DEC("latitude", "Vĩ độ", 0, -90, 90),
	DEC("longitude", "Kinh độ", 0, -180, 180),
};
ENTITY(border_marker, "Mốc quốc giới", S_UNITS, "number", 0, NULL, WR_SCOPE);

static const struct field_def border_gate_fields[] = {
	TEXT("name", "Tên cửa khẩu", F_REQUIRED | F_LIST | F_SEARCH, 200),
	CAT("kind", "Loại cửa khẩu", F_LIST, "border_gate_kind"),
	REF("commune_id", "Xã", F_LIST | F_SCOPE, "admin_unit"),
	REF("counterpart_id", "Cửa khẩu / đơn vị đối diện", 0, "foreign_unit"),
};
ENTITY(border_gate, "Cửa khẩu", S_UNITS, "name", 0, NULL, WR_SCOPE);

static const struct field_def self_mgmt_group_fields[] = {
	TEXT("name", "Tên tổ, mô hình", F_REQUIRED | F_LIST | F_SEARCH, 300),
	CAT("kind", "Loại mô hình", F_REQUIRED | F_LIST, "self_mgmt_kind"),
	REF("unit_id", "Xã", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	REF("village_id", "Thôn, bản", F_LIST, "village"),
	REF("marker_from_id", "Từ mốc", 0, "border_marker"),
	REF("marker_to_id", "Đến mốc", 0, "border_marker"),
	DATE("established_on", "Ngày thành lập", 0),
	INT("eligible_households", "Số hộ thuộc diện tham gia", 0, 0, 1e6),
};
ENTITY(self_mgmt_group, "Mô hình tự quản", S_ACT, "name", 0, NULL, WR_SCOPE);

static const struct field_def self_mgmt_household_fields[] = {
	REF("group_id", "Mô hình", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "self_mgmt_group"),
	TEXT("head_name", "Chủ hộ", F_REQUIRED | F_LIST | F_SEARCH, 200),
	REF("village_id", "Thôn, bản", F_LIST, "village"),
	DATE("signed_on", "Ngày ký cam kết", F_LIST),
};
ENTITY(self_mgmt_household, "Hộ tham gia tự quản", S_ACT, "head_name", 0, NULL,
    WR_OWNER);

/* ---- targets ----------------------------------------------------------- */

static const struct field_def target_set_fields[] = {
	TEXT("name", "Tên bộ chỉ tiêu", F_REQUIRED | F_LIST | F_SEARCH, 500),
	REF("document_id", "Nghị quyết căn cứ", F_LIST, "document"),
	REF("unit_id", "Đơn vị", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	INT("term_start", "Từ năm", F_REQUIRED | F_LIST, 1945, 2100),
	INT("term_end", "Đến năm", F_REQUIRED | F_LIST, 1945, 2100),
	ENUM("group_rule", "Cách đánh giá nhóm", 0,
	    "all=Tất cả chỉ tiêu đạt|min=Chỉ tiêu thấp nhất|mean=Bình quân|"
	    "weighted=Bình quân có trọng số"),
	DEC("band_high", "Ngưỡng đạt (%)", 0, 0, 1000),
	DEC("band_mid", "Ngưỡng cơ bản đạt (%)", 0, 0, 1000),
};
ENTITY(target_set, "Bộ chỉ tiêu", S_TARGET, "name", 0, NULL, WR_SCOPE);

static const struct field_def target_group_fields[] = {
	REF("target_set_id", "Bộ chỉ tiêu", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "target_set"),
	INT("number", "Số thứ tự", F_REQUIRED | F_LIST, 1, 1000),
	TEXT("name", "Tên nhóm mục tiêu", F_REQUIRED | F_LIST | F_SEARCH, 500),
	DEC("weight", "Trọng số", 0, 0, 1000),
};
ENTITY(target_group, "Nhóm mục tiêu", S_TARGET, "name", 0,
    "target_set_id, number", WR_OWNER);

static const struct field_def indicator_fields[] = {
	REF("target_group_id", "Nhóm mục tiêu", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "target_group"),
	TEXT("code", "Mã chỉ tiêu", F_LIST | F_SEARCH, 32),
	TEXT("name", "Tên chỉ tiêu", F_REQUIRED | F_LIST | F_SEARCH, 500),
	TEXT("unit_of_measure", "Đơn vị tính", F_LIST, 64),
	ENUM("direction", "Chiều đánh giá", F_REQUIRED | F_LIST,
	    "higher=Càng cao càng tốt|lower=Càng thấp càng tốt|exact=Đúng bằng|yesno=Có/không"),
	ENUM("value_kind", "Kiểu giá trị", F_REQUIRED,
	    "number=Số|percent=Tỷ lệ %|ratio=Tỷ số (tử/mẫu)"),
	ENUM("aggregation", "Tổng hợp theo đơn vị", 0,
	    "sum=Tổng|mean=Bình quân|ratio_of_sums=Tỷ lệ của tổng|min=Nhỏ nhất|"
	    "max=Lớn nhất|latest=Mới nhất"),
	ENUM("period_type", "Kỳ báo cáo", 0,
	    "year=Năm|half=6 tháng|quarter=Quý|month=Tháng|term=Cả nhiệm kỳ"),
	DEC("weight", "Trọng số", 0, 0, 1000),
	TEXT("expression", "Công thức tính từ dữ liệu", F_EXPR, 1000),
};
ENTITY(indicator, "Chỉ tiêu", S_TARGET, "name", 0, NULL, WR_OWNER);

static const struct field_def indicator_value_fields[] = {
	REF("indicator_id", "Chỉ tiêu", F_REQUIRED | F_LIST | F_OWNER, "indicator"),
	REF("unit_id", "Đơn vị", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	PERIOD("period", "Kỳ", F_REQUIRED | F_LIST),
	DEC("target", "Kế hoạch", F_LIST, 0, 0),
	DEC("actual", "Thực hiện", F_LIST, 0, 0),
	DEC("numerator", "Tử số", 0, 0, 0),
	DEC("denominator", "Mẫu số", 0, 0, 0),
	DEC("target_numerator", "Tử số kế hoạch", 0, 0, 0),
	DEC("target_denominator", "Mẫu số kế hoạch", 0, 0, 0),
	DATE("as_of", "Số liệu tính đến ngày", 0),
	TEXT("qualifier", "Từ định lượng (trên, gần…)", 0, 16),
	REF("source_document_id", "Nguồn số liệu", 0, "document"),
	ENUM("status", "Trạng thái", F_REQUIRED | F_LIST,
	    "draft=Nháp|submitted=Đã gửi|approved=Đã duyệt"),
	REF("approved_by", "Người duyệt / trả lại", F_SYSTEM, "app_user"),
	TEXT("comment", "Ghi chú", 0, N),
};
ENTITY(indicator_value, "Số liệu chỉ tiêu", S_TARGET, "period", 0,
    "indicator_id, unit_id, period", WR_SCOPE);

static const struct field_def reporting_duty_fields[] = {
	REF("target_set_id", "Bộ chỉ tiêu", F_REQUIRED | F_LIST, "target_set"),
	REF("reporter_unit_id", "Đơn vị báo cáo", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	REF("recipient_org_id", "Cơ quan nhận", F_REQUIRED | F_LIST, "organisation"),
	ENUM("frequency", "Tần suất", F_REQUIRED | F_LIST,
	    "monthly=Hằng tháng|quarterly=Hằng quý|half_yearly=6 tháng|yearly=Hằng năm"),
	INT("due_day", "Hạn (ngày sau kỳ)", F_LIST, 0, 366),
};
ENTITY(reporting_duty, "Chế độ báo cáo", S_TARGET, "frequency", 0, NULL, WR_SCOPE);

/* ---- meetings, activities, incidents ----------------------------------- */

static const struct field_def meeting_fields[] = {
	CAT("kind", "Loại cuộc họp", F_REQUIRED | F_LIST, "meeting_kind"),
	TEXT("title", "Tên hội nghị, cuộc họp", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	DATE("held_on", "Ngày", F_REQUIRED | F_LIST),
	TEXT("place", "Địa điểm", F_LIST | F_SEARCH, 500),
	REF("unit_id", "Địa bàn", F_LIST | F_SCOPE, "admin_unit"),
	REF("host_org_id", "Cơ quan tổ chức", F_SCOPE, "organisation"),
	REF("agreement_id", "Thỏa thuận", F_LIST, "agreement"),
	REF("program_id", "Chương trình", 0, "program"),
	REF("cluster_id", "Cụm giáp ranh", 0, "cluster"),
	REF("supervision_id", "Cuộc giám sát", 0, "supervision"),
	BOOL("online", "Trực tuyến", F_LIST),
	BOOL("date_approximate", "Ngày ước tính (nguồn không ghi rõ)", 0),
	LONG("shortcomings", "Tồn tại, hạn chế", F_SEARCH),
	LONG("note", "Ghi chú", 0),
	LONG("conclusions", "Kết luận", F_SEARCH),
};
ENTITY(meeting, "Hội nghị, cuộc họp", S_MEET, "title", 0, NULL, WR_SCOPE);

static const struct field_def meeting_participant_fields[] = {
	REF("meeting_id", "Cuộc họp", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "meeting"),
	CAT("role", "Vai trò", F_REQUIRED | F_LIST, "participant_role"),
	REF("person_id", "Người dự", F_LIST, "person"),
	TEXT("title_as_held", "Chức vụ tại thời điểm họp", F_LIST | F_SEARCH, 500),
	REF("organisation_id", "Cơ quan", F_LIST, "organisation"),
	REF("unit_id", "Điểm cầu / đơn vị", 0, "admin_unit"),
	TEXT("bridge_point", "Tên điểm cầu", F_SEARCH, 200),
};
ENTITY(meeting_participant, "Thành phần dự họp", S_MEET, "title_as_held", 0, NULL,
    WR_OWNER);

static const struct field_def activity_fields[] = {
	CAT("kind", "Loại hoạt động", F_REQUIRED | F_LIST, "activity_kind"),
	TEXT("title", "Nội dung", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	DATE("start_on", "Từ ngày", F_REQUIRED | F_LIST),
	DATE("end_on", "Đến ngày", 0),
	PERIOD("period", "Kỳ báo cáo", F_LIST),
	REF("unit_id", "Địa bàn", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	REF("organisation_id", "Đơn vị thực hiện", F_LIST | F_SCOPE, "organisation"),
	REF("agreement_id", "Thỏa thuận", 0, "agreement"),
	REF("program_id", "Chương trình", 0, "program"),
	BOOL("bilateral", "Song phương", F_LIST),
	BOOL("is_total", "Số liệu tổng hợp cả kỳ (không phải một lần)", 0),
	REF("foreign_unit_id", "Phía đối diện", 0, "foreign_unit"),
	REF("border_gate_id", "Cửa khẩu", 0, "border_gate"),
	REF("marker_from_id", "Từ mốc", 0, "border_marker"),
	REF("marker_to_id", "Đến mốc", 0, "border_marker"),
	LONG("description", "Mô tả", F_SEARCH),
};
ENTITY(activity, "Hoạt động", S_ACT, "title", 0, NULL, WR_SCOPE);

static const struct field_def activity_quantity_fields[] = {
	REF("activity_id", "Hoạt động", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "activity"),
	CAT("measure", "Chỉ số", F_REQUIRED | F_LIST, "measure"),
	DEC("value", "Giá trị", F_REQUIRED | F_LIST, 0, 1e15),
	TEXT("unit_of_measure", "Đơn vị tính", F_LIST, 64),
	TEXT("qualifier", "Từ định lượng (trên, gần…)", 0, 16),
};
ENTITY(activity_quantity, "Số liệu hoạt động", S_ACT, "measure", 0, NULL, WR_OWNER);

static const struct field_def incident_fields[] = {
	CAT("kind", "Loại vụ việc", F_REQUIRED | F_LIST, "incident_kind"),
	TEXT("title", "Tóm tắt", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	DATE("occurred_on", "Ngày xảy ra", F_REQUIRED | F_LIST),
	REF("unit_id", "Địa bàn", F_REQUIRED | F_LIST | F_SCOPE, "admin_unit"),
	REF("village_id", "Thôn, bản", 0, "village"),
	REF("border_marker_id", "Mốc quốc giới", 0, "border_marker"),
	DEC("latitude", "Vĩ độ", 0, -90, 90),
	DEC("longitude", "Kinh độ", 0, -180, 180),
	ENUM("status", "Trạng thái", F_REQUIRED | F_LIST,
	    "reported=Mới tiếp nhận|verified=Đã xác minh|handling=Đang giải quyết|"
	    "resolved=Đã giải quyết|transferred=Đã chuyển cơ quan khác"),
	BOOL("confidential", "Mật", F_LIST),
	REF("reported_by_org_id", "Đơn vị ghi nhận", F_SCOPE, "organisation"),
	INT("cases", "Số vụ", 0, 0, 1e6),
	INT("persons", "Số đối tượng", 0, 0, 1e6),
	LONG("description", "Diễn biến", F_SEARCH),
};
ENTITY(incident, "Vụ việc, tình hình", S_INC, "title", 0, NULL, WR_SCOPE);

static const struct field_def incident_share_fields[] = {
	REF("incident_id", "Vụ việc", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "incident"),
	REF("agreement_id", "Theo thỏa thuận", F_LIST, "agreement"),
	REF("organisation_id", "Chia sẻ cho", F_LIST, "organisation"),
	REF("unit_id", "Chia sẻ cho đơn vị", 0, "admin_unit"),
	DATE("shared_on", "Ngày chia sẻ", F_REQUIRED | F_LIST),
	TEXT("note", "Ghi chú", 0, N),
};
ENTITY(incident_share, "Trao đổi thông tin", S_INC, "shared_on", 0, NULL, WR_OWNER);

/* ---- recommendations, tasks, supervisions, commendations --------------- */

static const struct field_def recommendation_fields[] = {
	TEXT("title", "Nội dung kiến nghị", F_REQUIRED | F_LIST | F_SEARCH, 2000),
	REF("from_org_id", "Cơ quan kiến nghị", F_REQUIRED | F_LIST | F_SCOPE, "organisation"),
	REF("to_org_id", "Gửi đến", F_LIST, "organisation"),
	DATE("raised_on", "Ngày kiến nghị", F_REQUIRED | F_LIST),
	REF("meeting_id", "Tại cuộc họp", 0, "meeting"),
	REF("supervision_id", "Tại cuộc giám sát", 0, "supervision"),
	ENUM("status", "Trạng thái", F_REQUIRED | F_LIST,
	    "submitted=Chờ trả lời|answered=Đã trả lời|done=Đã giải quyết|declined=Không chấp nhận"),
	LONG("response", "Trả lời", F_SEARCH),
	DATE("responded_on", "Ngày trả lời", 0),
	REF("response_meeting_id", "Trả lời tại cuộc họp", 0, "meeting"),
	REF("document_id", "Văn bản liên quan", 0, "document"),
};
ENTITY(recommendation, "Kiến nghị, đề xuất", S_REC, "title", 0, NULL, WR_SCOPE);

static const struct field_def task_fields[] = {
	TEXT("title", "Nhiệm vụ", F_REQUIRED | F_LIST | F_SEARCH, 2000),
	REF("assigner_org_id", "Cơ quan giao", F_LIST | F_SCOPE, "organisation"),
	REF("assignee_org_id", "Cơ quan thực hiện", F_LIST | F_SCOPE, "organisation"),
	REF("assignee_unit_id", "Địa phương thực hiện", F_SCOPE, "admin_unit"),
	CAT("source_kind", "Nguồn giao", 0, "task_source"),
	REF("meeting_id", "Từ cuộc họp", 0, "meeting"),
	REF("document_id", "Từ văn bản", 0, "document"),
	REF("supervision_id", "Từ cuộc giám sát", 0, "supervision"),
	REF("recommendation_id", "Trả lời kiến nghị", 0, "recommendation"),
	DATE("assigned_on", "Ngày giao", F_REQUIRED | F_LIST),
	DATE("deadline", "Hạn hoàn thành", F_LIST),
	DATE("completed_on", "Ngày hoàn thành", F_LIST),
	LONG("progress_note", "Tiến độ", 0),
};
ENTITY(task, "Nhiệm vụ", S_REC, "title", 0, NULL, WR_SCOPE);

static const struct field_def supervision_fields[] = {
	TEXT("title", "Nội dung giám sát", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	REF("delegation_org_id", "Cơ quan giám sát", F_REQUIRED | F_LIST | F_SCOPE, "organisation"),
	REF("head_person_id", "Trưởng đoàn", F_LIST, "person"),
	REF("supervised_unit_id", "Địa bàn được giám sát", F_LIST | F_SCOPE, "admin_unit"),
	REF("supervised_org_id", "Cơ quan được giám sát", 0, "organisation"),
	REF("subject_document_id", "Văn bản giám sát việc thực hiện", F_LIST, "document"),
	DATE("started_on", "Ngày", F_REQUIRED | F_LIST),
	DATE("ended_on", "Đến ngày", 0),
	LONG("conclusions", "Kết luận", F_SEARCH),
};
ENTITY(supervision, "Cuộc giám sát, kiểm tra", S_SUP, "title", 0, NULL, WR_SCOPE);

static const struct field_def supervision_member_fields[] = {
	REF("supervision_id", "Cuộc giám sát", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "supervision"),
	REF("person_id", "Thành viên", F_LIST, "person"),
	TEXT("title_as_held", "Chức vụ", F_LIST | F_SEARCH, 500),
	ENUM("role", "Vai trò", F_REQUIRED | F_LIST, "head=Trưởng đoàn|deputy=Phó đoàn|member=Thành viên"),
};
ENTITY(supervision_member, "Thành viên đoàn giám sát", S_SUP, "title_as_held", 0, NULL,
    WR_OWNER);

static const struct field_def supervision_finding_fields[] = {
	REF("supervision_id", "Cuộc giám sát", F_REQUIRED | F_LIST | F_OWNER | F_SCOPE, "supervision"),
	ENUM("kind", "Loại", F_REQUIRED | F_LIST, "result=Kết quả|shortcoming=Tồn tại, hạn chế"),
	TEXT("text", "Nội dung", F_REQUIRED | F_LIST | F_SEARCH, 4000),
	REF("activity_id", "Hoạt động liên quan", 0, "activity"),
	REF("indicator_id", "Chỉ tiêu liên quan", 0, "indicator"),
	DEC("value", "Số liệu", 0, 0, 0),
	TEXT("unit_of_measure", "Đơn vị tính", 0, 64),
	TEXT("qualifier", "Từ định lượng (trên, gần…)", 0, 16),
	PERIOD("period", "Kỳ số liệu", 0),
};
ENTITY(supervision_finding, "Kết quả giám sát", S_SUP, "text", 0, NULL, WR_OWNER);

static const struct field_def commendation_fields[] = {
	CAT("form", "Hình thức", F_REQUIRED | F_LIST, "commendation_form"),
	REF("issuer_org_id", "Cấp khen", F_LIST | F_SCOPE, "organisation"),
	TEXT("issuer_title", "Chức danh người ký khen", 0, 200),
	ENUM("recipient_kind", "Đối tượng", F_REQUIRED | F_LIST, "collective=Tập thể|individual=Cá nhân"),
	TEXT("recipient_name", "Tên tập thể / cá nhân", F_REQUIRED | F_LIST | F_SEARCH, 500),
	REF("recipient_org_id", "Tập thể được khen", 0, "organisation"),
	REF("recipient_person_id", "Cá nhân được khen", 0, "person"),
	TEXT("reason", "Thành tích", F_SEARCH, 2000),
	REF("program_id", "Chương trình", 0, "program"),
	REF("agreement_id", "Thỏa thuận", F_LIST, "agreement"),
	REF("meeting_id", "Trao tại hội nghị", 0, "meeting"),
	REF("document_id", "Quyết định khen thưởng", 0, "document"),
	DATE("awarded_on", "Ngày khen", F_REQUIRED | F_LIST),
};
ENTITY(commendation, "Khen thưởng", S_COMM, "recipient_name", 0, NULL, WR_SCOPE);

/* ---- reports ------------------------------------------------------------ */

/* An outline (đề cương) a report follows: the sections the higher body
 * asks for, in order, each drawing its content from the records (a kind
 * of data) or from what the writer types (report_section). */
static const struct field_def outline_fields[] = {
	TEXT("name", "Tên đề cương", F_REQUIRED | F_LIST | F_SEARCH, 300),
	ENUM("report_kind", "Dùng cho", F_LIST,
	    "interim=Sơ kết|final=Tổng kết|periodic=Định kỳ|supervision=Giám sát"),
	REF("issuer_org_id", "Cơ quan gửi đề cương", F_LIST, "organisation"),
	LONG("note", "Ghi chú", 0),
};
ENTITY(outline, "Đề cương báo cáo", S_REPORT, "name", 0, NULL, WR_CREATOR);

/* One section of an outline.  Level 1 is a part ("I. …"), level 2 an item
 * ("1. …") of the part above it.  content: where its text comes from
 * (report_build.c draws each kind). */
static const struct field_def outline_section_fields[] = {
	REF("outline_id", "Đề cương", F_REQUIRED | F_LIST | F_OWNER, "outline"),
	INT("position", "Thứ tự", F_REQUIRED | F_LIST, 1, 200),
	INT("level", "Cấp (1 = phần I, II…; 2 = mục 1, 2…)", F_LIST, 1, 2),
	TEXT("heading", "Tiêu đề", F_REQUIRED | F_LIST | F_SEARCH, 300),
	ENUM("content", "Nội dung", F_REQUIRED | F_LIST, OUTLINE_CONTENTS),
	LONG("guidance", "Gợi ý cho người viết", 0),
};
ENTITY(outline_section, "Mục của đề cương", S_REPORT, "heading", 0, NULL, WR_OWNER);

static const struct field_def report_fields[] = {
	TEXT("title", "Tên báo cáo", F_REQUIRED | F_LIST | F_SEARCH, 1000),
	ENUM("kind", "Loại báo cáo", F_REQUIRED | F_LIST,
	    "interim=Sơ kết|final=Tổng kết|periodic=Định kỳ"),
	TEXT("scope", "Phạm vi (loại:mã)", F_REQUIRED | F_LIST | F_REPORT_SCOPE, 64),
	PERIOD("period", "Kỳ báo cáo", F_REQUIRED | F_LIST),
	REF("issuer_org_id", "Cơ quan ban hành", F_REQUIRED | F_LIST | F_SCOPE, "organisation"),
	TEXT("place", "Địa danh", 0, 100),
	INT("number", "Số", F_SYSTEM | F_LIST, 0, 0),
	TEXT("symbol", "Ký hiệu", F_SYSTEM | F_LIST, 64),
	DATE("issued_on", "Ngày ban hành", F_SYSTEM | F_LIST),
	ENUM("status", "Trạng thái", F_REQUIRED | F_LIST, "draft=Dự thảo|issued=Đã ban hành"),
	LONG("shortcomings", "Tồn tại, hạn chế", 0),
	LONG("directions", "Phương hướng, nhiệm vụ", 0),
	LONG("proposals", "Kiến nghị, đề xuất", 0),
	TEXT("recipients", "Nơi nhận", 0, N),
	TEXT("signer_title", "Chức vụ người ký", 0, 200),
	TEXT("signer_name", "Người ký", 0, 200),
	/* issue 16: Kính gửi and the authority lines ("TM. ỦY BAN NHÂN
	 * DÂN" / "KT. CHỦ TỊCH"), one per line; empty takes the issuing
	 * body's last report's, else its kind's default (report_layout.c) */
	TEXT("addressees", "Kính gửi (mỗi dòng một nơi)", 0, N),
	TEXT("signer_authority", "Thẩm quyền ký (TM./KT./Q./TL./TUQ., mỗi dòng một)", 0, 400),
	REF("outline_id", "Đề cương", F_LIST, "outline"),
};
ENTITY(report, "Báo cáo", S_REPORT, "title", 0, NULL, WR_SCOPE);

/* What the writer types into a text section of the report's outline,
 * matched by its heading. */
static const struct field_def report_section_fields[] = {
	REF("report_id", "Báo cáo", F_REQUIRED | F_LIST | F_OWNER, "report"),
	TEXT("heading", "Mục (theo đề cương)", F_REQUIRED | F_LIST | F_SEARCH, 300),
	LONG("body", "Nội dung", 0),
};
ENTITY(report_section, "Nội dung mục báo cáo", S_REPORT, "heading", 0,
    "report_id, heading", WR_OWNER);

/* ---- ingest from reports (issue 9) ------------------------------------- */

/* A report read by `giapranh ingest` or the page "Nhập từ văn bản": its
 * proposals wait here until an official accepts or rejects them
 * (ingest_accept.h); the text itself is the document's attachment. */
static const struct field_def ingest_batch_fields[] = {
	TEXT("source_name", "Tệp nguồn", F_REQUIRED | F_LIST | F_SEARCH, 255),
	REF("document_id", "Văn bản nguồn", F_LIST, "document"),
	DATE("publication_date", "Ngày đăng", F_LIST),
	/* the proposal set of docs/INGEST.md, as extracted */
	{ "proposals_json", FT_TEXT, "Các đề xuất (JSON)", F_LONG | F_SYSTEM, 0,
	  INGEST_PROPOSALS_JSON_MAX, NULL },
	INT("proposal_count", "Số đề xuất", F_LIST, 0, 0),
	ENUM("state", "Trạng thái", F_REQUIRED | F_LIST,
	    "pending=Chờ duyệt|accepted=Đã chấp nhận|rejected=Đã từ chối|"
	    "partial=Chấp nhận một phần"),
	REF("created_by", "Người nhập", F_LIST | F_SYSTEM, "app_user"),
	DATE("decided_on", "Ngày duyệt", F_LIST),
};
ENTITY(ingest_batch, "Lô nhập từ văn bản", S_INGEST, "source_name", 0, NULL,
    WR_CREATOR);

/* One official's decision on one proposal of a batch, and the record it
 * became (the main one: a figure may also create its activity). */
static const struct field_def ingest_decision_fields[] = {
	REF("batch_id", "Lô nhập", F_REQUIRED | F_LIST | F_OWNER, "ingest_batch"),
	TEXT("proposal_id", "Đề xuất", F_REQUIRED | F_LIST, 32),
	TEXT("kind", "Loại đề xuất", F_LIST, 32),
	ENUM("decision", "Quyết định", F_REQUIRED | F_LIST,
	    "accepted=Chấp nhận|edited=Sửa rồi chấp nhận|rejected=Từ chối"),
	LONG("edited_json", "Các trường đã sửa (JSON)", 0),
	TEXT("record_entity", "Loại bản ghi đã tạo", F_LIST, 64),
	INT("record_id", "Bản ghi đã tạo", F_LIST, 0, 0),
	LONG("records_json", "Mọi bản ghi đã tạo (JSON)", 0),
};
ENTITY(ingest_decision, "Quyết định về đề xuất", S_INGEST, "proposal_id", 0,
    "batch_id, proposal_id", WR_OWNER);

/* ---- users, grants, audit ---------------------------------------------- */

static const struct field_def app_user_fields[] = {
	TEXT("login", "Tên đăng nhập", F_REQUIRED | F_LIST | F_SEARCH | F_UNIQUE, 64),
	TEXT("display_name", "Họ tên", F_LIST | F_SEARCH, 200),
	TEXT("password_hash", "Mật khẩu (băm)", F_SECRET | F_SYSTEM, 256),
	REF("person_id", "Cá nhân", 0, "person"),
	BOOL("active", "Đang hoạt động", F_LIST),
};
ENTITY(app_user, "Người dùng", S_ADMIN, "login", E_ADMIN, NULL, WR_ADMIN);

static const struct field_def role_grant_fields[] = {
	REF("user_id", "Người dùng", F_REQUIRED | F_LIST | F_OWNER, "app_user"),
	ENUM("role", "Vai trò", F_REQUIRED | F_LIST,
	    "viewer=Xem|editor=Nhập liệu|approver=Phê duyệt|admin=Quản trị"),
	REF("unit_id", "Phạm vi đơn vị", F_LIST, "admin_unit"),
	REF("organisation_id", "Phạm vi cơ quan", F_LIST, "organisation"),
	BOOL("security_clearance", "Được xem tin mật", F_LIST),
};
ENTITY(role_grant, "Phân quyền", S_ADMIN, "role", E_ADMIN, NULL, WR_ADMIN);

static const struct field_def audit_log_fields[] = {
	TEXT("at", "Thời điểm", F_REQUIRED | F_LIST, 32),
	REF("user_id", "Người thực hiện", F_LIST, "app_user"),
	TEXT("actor", "Tác nhân", F_LIST | F_SEARCH, 100),
	TEXT("action", "Thao tác", F_REQUIRED | F_LIST, 16),
	TEXT("entity", "Loại bản ghi", F_REQUIRED | F_LIST | F_SEARCH, 64),
	INT("record_id", "Bản ghi", F_REQUIRED | F_LIST, 0, 0),
	LONG("before_json", "Trước", 0),
	LONG("after_json", "Sau", 0),
};
ENTITY(audit_log, "Nhật ký thao tác", S_ADMIN, "action", E_READONLY | E_ADMIN, NULL,
    WR_SYSTEM);

/* Order matters: an entity appears after every entity it references, so
 * the DDL and the demo loader can follow it (cycles are none). */
const struct entity_def *const registry[] = {
	&catalog_item_entity,
	&admin_unit_entity,
	&unit_lineage_entity,
	&village_entity,
	&foreign_unit_entity,
	&organisation_entity,
	&person_entity,
	&position_entity,
	&app_user_entity,
	&role_grant_entity,
	&attachment_entity,
	&document_entity,
	&program_entity,
	&agreement_entity,
	&agreement_party_entity,
	&agreement_item_entity,
	&status_change_entity,
	&cluster_entity,
	&cluster_member_entity,
	&border_marker_entity,
	&border_gate_entity,
	&self_mgmt_group_entity,
	&self_mgmt_household_entity,
	&target_set_entity,
	&target_group_entity,
	&indicator_entity,
	&indicator_value_entity,
	&reporting_duty_entity,
	&supervision_entity,
	&supervision_member_entity,
	&meeting_entity,
	&meeting_participant_entity,
	&activity_entity,
	&activity_quantity_entity,
	&supervision_finding_entity,
	&incident_entity,
	&incident_share_entity,
	&recommendation_entity,
	&task_entity,
	&commendation_entity,
	&outline_entity,
	&outline_section_entity,
	&report_entity,
	&report_section_entity,
	&ingest_batch_entity,
	&ingest_decision_entity,
	&audit_log_entity,
};
const size_t registry_count = sizeof(registry) / sizeof(registry[0]);
