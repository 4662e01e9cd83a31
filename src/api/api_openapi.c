/*
 * api_openapi.c - the API described as an OpenAPI 3.1 document
 * (https://spec.openapis.org/oas/v3.1.0), made at run time from the entity
 * registry and the API's route tables: GET /api/v1/openapi.json.  Nothing
 * of the entities is written here by hand - their paths, parameters and
 * body schemas come from the registry (types, limits, choices, Vietnamese
 * labels) - only the special endpoints are, in one table (specials[]
 * below): their parameters and the shape of their answers.  A route of the
 * tables that is neither an entity's nor in specials[] is left out of the
 * document, and tests/e2e/test_openapi.py fails on it.
 *
 * GET /api/docs is the readable reference: Swagger UI (npm swagger-ui-dist,
 * served as a vendor file) pointed at the document by static/api-docs.js.
 *
 * Both are public (no sign-in): they describe the shape of the API, the
 * same for every installation, and hold no record - what a client needs
 * before it has signed in (and the sources say the same).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/error.h"
#include "base/gplimits.h"
#include "domain/auth.h"
#include "domain/dhis2_keys.h"
#include "http/http.h"
#include "schema/registry.h"
#include "text/text.h"
#include "store/store.h"

#define OA_SCHEMAS "#/components/schemas/"
#define OA_RESPONSES "#/components/responses/"
#define OA_PARAMS_MAX   9
#define OA_REF_MAX      256 /* "#/components/schemas/" and a schema name */
#define OA_STATUSES_MAX 10

/* ---- the special endpoints: the only hand-written part ---------------------- */

enum oa_kind {
	K_ID,      /* a record id: whole number >= 1                   */
	K_CODE,    /* an administrative unit's code                     */
	K_DATE,    /* YYYY-MM-DD                                        */
	K_PERIOD,  /* a period in any written form ("quý 4/2025")       */
	K_YEAR,    /* a year                                            */
	K_TEXT,    /* free text                                         */
	K_ENTITY,  /* an entity's name                                  */
	K_FORMAT,  /* a report's format                                 */
	K_FLAG,    /* "1" or "0"                                        */
	K_BOOL,    /* "true" or "false" (DHIS2's arguments)             */
	K_SCHEME,  /* a DHIS2 id scheme: uid, code                      */
	K_STRATEGY /* a DHIS2 import strategy                           */
};

struct oa_param {
	const char *name;   /* the argument's name, or NULL: field_name(fld) */
	enum field_id fld;  /* the field the argument is named after         */
	bool path;          /* a segment of the path (':' in the pattern,
	                     * in order), else a query argument               */
	enum oa_kind kind;
	bool required;
	const char *desc;   /* Vietnamese                                    */
};

enum oa_body { B_NONE, B_SESSION, B_FILE, B_DATA_VALUES, B_CSV };

struct oa_special {
	unsigned method;         /* one of the route's methods          */
	const char *pattern;     /* exactly as in the route table        */
	const char *op;          /* operationId                          */
	const char *summary;     /* Vietnamese                           */
	struct oa_param params[OA_PARAMS_MAX];
	enum oa_body body;
	int ok;                  /* the success status                    */
	const char *type;        /* its media type (NULL: application/json) */
	const char *answer;      /* its JSON Schema, as JSON text          */
	int errors[OA_STATUSES_MAX]; /* the error statuses it answers (0 ends) */
	const char *also;        /* other media types it answers, any bytes
	                          * (comma-separated)                     */
};

/* Answer schemas shared by several endpoints (JSON text). */
#define A_OBJECT "{\"type\":\"object\"}"
#define A_ARRAY "{\"type\":\"array\",\"items\":{\"type\":\"object\"}}"
#define A_VALUES "{\"type\":\"object\",\"required\":[\"indicator_id\",\"period\"," \
	"\"direction\",\"items\",\"count\"],\"properties\":{\"indicator_id\":{\"type\":" \
	"\"integer\"},\"period\":{\"type\":[\"string\",\"null\"]},\"unit\":{\"type\":" \
	"[\"string\",\"null\"]},\"direction\":{\"type\":\"string\"},\"items\":{\"type\":" \
	"\"array\",\"items\":{\"type\":\"object\"}},\"count\":{\"type\":\"integer\"}}}"
#define A_SUMMARY "{\"type\":\"object\",\"required\":[\"indicator_id\",\"bands\"," \
	"\"thresholds\",\"summary\"],\"properties\":{\"indicator_id\":{\"type\":\"integer\"}," \
	"\"bands\":{\"type\":\"object\",\"required\":[\"high\",\"mid\",\"low\",\"none\"," \
	"\"total\"],\"properties\":{\"high\":" A_INT ",\"mid\":" A_INT ",\"low\":" \
	A_INT ",\"none\":" A_INT ",\"total\":" A_INT "}},\"thresholds\":{\"type\":" \
	"\"object\"},\"summary\":{\"type\":\"string\"}}}"
#define A_INT "{\"type\":\"integer\"}"
#define A_ME "{\"$ref\":\"#/components/schemas/_me\"}"
#define A_UNIT "{\"$ref\":\"#/components/schemas/admin_unit\"}"
#define A_UNITS "{\"type\":\"array\",\"items\":" A_UNIT "}"
#define A_REORG "{\"type\":\"object\",\"required\":[\"applied\",\"rows\"," \
	"\"units\",\"ended\",\"lineage\",\"errors\"],\"properties\":{\"applied\":" \
	"{\"type\":\"boolean\"},\"rows\":" A_INT ",\"units\":" A_ARRAY ",\"ended\":" \
	A_ARRAY ",\"lineage\":" A_ARRAY ",\"errors\":{\"type\":\"array\",\"items\":" \
	"{\"type\":\"object\",\"required\":[\"line\",\"message\"],\"properties\":" \
	"{\"line\":" A_INT ",\"column\":{\"type\":[\"string\",\"null\"]}," \
	"\"message\":{\"type\":\"string\"}}}}}}"
#define P_DATE(d) { "date", FLD_NONE, false, K_DATE, false, d }
#define P_ID(d) { "id", FLD_NONE, true, K_ID, true, d }
#define A_DVS "{\"$ref\":\"#/components/schemas/_data_value_set\"}"
#define P_DVS_GET \
	{ DK_DATA_SET, FLD_NONE, false, K_TEXT, true, \
	  "bộ dữ liệu: UID hoặc mã trong bảng mã trao đổi (exchange_code)" }, \
	{ DK_PERIOD, FLD_NONE, false, K_TEXT, true, "kỳ theo cách viết của DHIS2: 2023, " \
	  "2023S1, 2023Q4, 202312" }, \
	{ DK_ORG_UNIT, FLD_NONE, false, K_TEXT, true, \
	  "đơn vị: UID hoặc mã trong bảng mã trao đổi, hoặc mã đơn vị hành chính" }, \
	{ DK_CHILDREN, FLD_NONE, false, K_BOOL, false, "true: cả các đơn vị cấp dưới" }, \
	{ DK_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, \
	  "viết mã theo uid (mặc định; ADX: code) hoặc code" }, \
	{ DK_DE_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho dataElement" }, \
	{ DK_OU_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho orgUnit" }, \
	{ DK_DS_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho dataSet" }
#define E_READ 400, 401, 403, 404
#define E_WRITE 400, 401, 403, 404, 409, 413, 415, 422

static const struct oa_special specials[] = {
	{ M_GET, "/api/v1/openapi.json", "openapi", "Mô tả OpenAPI 3.1 của API này",
	    { { 0 } }, B_NONE, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"openapi\",\"info\",\"paths\"],"
	    "\"properties\":{\"openapi\":{\"const\":\"3.1.0\"},\"info\":" A_OBJECT
	    ",\"paths\":" A_OBJECT "}}", { 400 }, NULL },
	{ M_GET, "/api/docs", "api_docs", "Trang tra cứu API (Swagger UI)", { { 0 } },
	    B_NONE, 200, "text/html", "{\"type\":\"string\"}", { 400 }, NULL },
	{ M_GET, "/api/v1/me", "me", "Người dùng đang đăng nhập và quyền", { { 0 } },
	    B_NONE, 200, NULL, A_ME, { 401 }, NULL },
	{ M_GET, "/api/v1/units/:", "unit_tree",
	    "Một đơn vị hành chính với cấp dưới, cấp trên, đơn vị kế thừa và tiền thân",
	    { { NULL, FLD_ADMIN_UNIT_CODE, true, K_CODE, true, "mã đơn vị" },
	      P_DATE("ngày hiệu lực (mặc định: hôm nay)") },
	    B_NONE, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"unit\"],\"properties\":{\"unit\":" A_UNIT
	    ",\"children\":" A_UNITS ",\"ancestors\":" A_UNITS ",\"successors\":" A_UNITS
	    ",\"predecessors\":" A_UNITS "}}", { E_READ }, NULL },
	{ M_POST, "/api/v1/session", "sign_in", "Đăng nhập (cookie phiên; script nên dùng token)",
	    { { 0 } }, B_SESSION, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"user\",\"csrf\"],\"properties\":{\"user\":"
	    A_ME ",\"csrf\":{\"type\":\"string\"}}}", { 400, 401, 413, 415, 422, 429 }, NULL },
	{ M_DELETE, "/api/v1/session", "sign_out", "Đăng xuất", { { 0 } }, B_NONE, 204, NULL,
	    NULL, { 401, 403 }, NULL },
	{ M_GET, "/api/v1/unit_by_code/:", "unit_by_code", "Một đơn vị hành chính theo mã",
	    { { NULL, FLD_ADMIN_UNIT_CODE, true, K_CODE, true, "mã đơn vị" },
	      P_DATE("ngày hiệu lực") }, B_NONE, 200, NULL, A_UNIT, { E_READ }, NULL },
	{ M_GET, "/api/v1/indicator/:/values", "indicator_values",
	    "Chỉ tiêu và kết quả của mọi đơn vị (hoặc các đơn vị dưới một đơn vị)",
	    { P_ID("id của chỉ tiêu"),
	      { NULL, FLD_INDICATOR_VALUE_PERIOD, false, K_PERIOD, true, "kỳ" },
	      { "unit", FLD_NONE, false, K_CODE, false, "mã đơn vị cấp trên" },
	      P_DATE("ngày hiệu lực của đơn vị") }, B_NONE, 200, NULL, A_VALUES, { E_READ }, NULL },
	{ M_GET, "/api/v1/indicator/:/summary", "indicator_summary",
	    "Các giá trị của chỉ tiêu đếm theo mức đạt",
	    { P_ID("id của chỉ tiêu"),
	      { NULL, FLD_INDICATOR_VALUE_PERIOD, false, K_PERIOD, true, "kỳ" },
	      { "unit", FLD_NONE, false, K_CODE, false, "mã đơn vị cấp trên" },
	      P_DATE("ngày hiệu lực của đơn vị") }, B_NONE, 200, NULL, A_SUMMARY, { E_READ }, NULL },
	{ M_POST, "/api/v1/attachment/upload", "upload",
	    "Tải lên một tệp đính kèm (thân: nội dung tệp; loại được kiểm tra theo nội dung)",
	    { { NULL, FLD_ATTACHMENT_OWNER_ENTITY, false, K_ENTITY, true, "loại bản ghi chủ" },
	      { NULL, FLD_ATTACHMENT_OWNER_ID, false, K_ID, true, "id bản ghi chủ" },
	      { NULL, FLD_ATTACHMENT_FILENAME, false, K_TEXT, true, "tên tệp" },
	      { NULL, FLD_ATTACHMENT_CAPTION, false, K_TEXT, false, "chú thích" } },
	    B_FILE, 201, NULL, "{\"$ref\":\"#/components/schemas/attachment\"}",
	    { E_WRITE }, NULL },
	{ M_GET, "/files/:", "download", "Tải về một tệp đính kèm",
	    { P_ID("id của tệp đính kèm") }, B_NONE, 200, "application/octet-stream",
	    "{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\"}",
	    { E_READ, 303 }, NULL },
	{ M_GET, "/api/v1/target_set/:/achievement", "achievement",
	    "Mức đạt của bộ chỉ tiêu: nhóm, chỉ tiêu, tỉ lệ và mức",
	    { P_ID("id của bộ chỉ tiêu"),
	      { NULL, FLD_INDICATOR_VALUE_PERIOD, false, K_PERIOD, false, "kỳ" } },
	    B_NONE, 200, NULL, "{\"type\":\"object\",\"required\":[\"groups\",\"summary\"],"
	    "\"properties\":{\"groups\":" A_ARRAY ",\"summary\":{\"type\":\"string\"}}}",
	    { E_READ }, NULL },
	{ M_GET, "/api/v1/indicator/:/rollup", "indicator_rollup",
	    "Chỉ tiêu tổng hợp trên một cây đơn vị (theo cả sắp xếp năm 2025)",
	    { P_ID("id của chỉ tiêu"),
	      { "unit", FLD_NONE, false, K_CODE, true, "mã đơn vị" },
	      { NULL, FLD_INDICATOR_VALUE_PERIOD, false, K_PERIOD, false, "kỳ" },
	      P_DATE("ngày hiệu lực của đơn vị") }, B_NONE, 200, NULL, A_OBJECT, { E_READ }, NULL },
	{ M_GET, "/api/v1/duties/status", "duties_status",
	    "Nghĩa vụ báo cáo: đúng hạn, trễ, còn thiếu theo kỳ",
	    { { "year", FLD_NONE, false, K_YEAR, true, "năm" },
	      { NULL, FLD_REPORTING_DUTY_RECIPIENT_ORG_ID, false, K_ID, false,
	        "id cơ quan nhận" },
	      { "as_of", FLD_NONE, false, K_DATE, false, "tính đến ngày" } },
	    B_NONE, 200, NULL, A_ARRAY, { E_READ }, NULL },
	{ M_GET, "/api/v1/program/:/progress", "program_progress",
	    "Tiến độ chương trình: kế hoạch so với đã ký",
	    { P_ID("id của chương trình") }, B_NONE, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"planned\",\"signed\",\"percent\"],"
	    "\"properties\":{\"planned\":" A_INT ",\"signed\":" A_INT ",\"percent\":"
	    "{\"type\":\"number\"}}}",
	    { E_READ }, NULL },
	{ M_GET, "/api/v1/clusters/due", "clusters_due",
	    "Lần giao ban cuối, hạn tiếp theo và quá hạn của mỗi cụm",
	    { { NULL, FLD_CLUSTER_AGREEMENT_ID, false, K_ID, false, "id của thỏa thuận" },
	      { "as_of", FLD_NONE, false, K_DATE, false, "tính đến ngày" } },
	    B_NONE, 200, NULL, A_ARRAY, { E_READ }, NULL },
	{ M_GET, "/api/v1/help/evaluation", "help_evaluation",
	    "Đánh giá giúp đỡ: xã, hoạt động, đơn vị không hoạt động",
	    { { "program_id", FLD_NONE, false, K_ID, false, "id của chương trình" },
	      { "from", FLD_NONE, false, K_DATE, false, "từ ngày" },
	      { "to", FLD_NONE, false, K_DATE, false, "đến ngày" } },
	    B_NONE, 200, NULL, A_ARRAY, { E_READ }, NULL },
	{ M_GET, "/api/v1/tasks/state", "tasks_state",
	    "Nhiệm vụ với trạng thái (đúng hạn, trễ, đang làm, quá hạn) và số đếm",
	    { { "as_of", FLD_NONE, false, K_DATE, false, "tính đến ngày" },
	      { NULL, FLD_TASK_MEETING_ID, false, K_ID, false, "id hội nghị" },
	      { NULL, FLD_TASK_SUPERVISION_ID, false, K_ID, false, "id đợt giám sát" },
	      { NULL, FLD_TASK_ASSIGNEE_ORG_ID, false, K_ID, false, "id cơ quan thực hiện" },
	      { NULL, FLD_TASK_DOCUMENT_ID, false, K_ID, false, "id văn bản" } },
	    B_NONE, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"counts\",\"items\"],\"properties\":"
	    "{\"counts\":" A_OBJECT ",\"items\":" A_ARRAY "}}", { E_READ }, NULL },
	{ M_GET, "/api/v1/todo", "todo",
	    "Việc của người dùng: nhiệm vụ quá hạn, đến hạn, kiến nghị đang chờ",
	    { { "as_of", FLD_NONE, false, K_DATE, false, "tính đến ngày" } },
	    B_NONE, 200, NULL, A_OBJECT, { E_READ }, NULL },
	{ M_GET, "/api/v1/agreement/:/exchange", "agreement_exchange",
	    "Vụ việc đã trao đổi theo thỏa thuận, với ai và khi nào",
	    { P_ID("id của thỏa thuận") }, B_NONE, 200, NULL, A_ARRAY, { E_READ }, NULL },
	{ M_GET, "/api/v1/workflow/:/:", "workflow",
	    "Trạng thái, các bước được phép tiếp theo và lịch sử chuyển bước",
	    { { "entity", FLD_NONE, true, K_ENTITY, true, "loại bản ghi" },
	      P_ID("id của bản ghi") }, B_NONE, 200, NULL,
	    "{\"type\":\"object\",\"required\":[\"status\",\"next\",\"history\"],"
	    "\"properties\":{\"status\":{\"type\":[\"string\",\"null\"]},"
	    "\"next\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
	    "\"history\":{\"type\":\"array\"}}}", { E_READ }, NULL },
	{ M_GET, "/reports/build", "report_build",
	    "Dựng báo cáo (docx, xlsx, csv, html, pdf hoặc json)",
	    { { NULL, FLD_REPORT_SCOPE, false, K_TEXT, true,
	        "phạm vi: target_set:ID, agreement:ID, program:ID, unit:ID, supervision:ID, "
	        "nation, target_set:ID@UNIT" },
	      { NULL, FLD_REPORT_PERIOD, false, K_PERIOD, false, "kỳ" },
	      { "format", FLD_NONE, false, K_FORMAT, false, "định dạng" },
	      { "report_id", FLD_NONE, false, K_ID, false, "id của báo cáo (đánh số, ký)" } },
	    B_NONE, 200, NULL, A_OBJECT, { E_READ, 303, 503 }, "application/octet-stream" },
	{ M_POST, "/api/v1/report/:/issue", "report_issue",
	    "Ban hành báo cáo dự thảo: số tiếp theo của sổ đăng ký",
	    { P_ID("id của báo cáo") }, B_NONE, 200, NULL,
	    "{\"$ref\":\"#/components/schemas/report\"}", { E_READ, 409, 412, 422 }, NULL },
	{ M_GET, "/api/v1/dataValueSets", "data_value_sets",
	    "Số liệu chỉ tiêu dạng dataValueSets của DHIS2 (JSON; CSV hoặc ADX theo Accept)",
	    { P_DVS_GET }, B_NONE, 200, NULL, A_DVS, { E_READ }, DK_TYPE_CSV "," DK_TYPE_ADX },
	{ M_GET, "/api/v1/dataValueSets.json", "data_value_sets_json",
	    "Số liệu chỉ tiêu dạng dataValueSets của DHIS2, JSON",
	    { P_DVS_GET }, B_NONE, 200, NULL, A_DVS, { E_READ }, NULL },
	{ M_GET, "/api/v1/dataValueSets.csv", "data_value_sets_csv",
	    "Số liệu chỉ tiêu dạng dataValueSets của DHIS2, CSV (11 cột của DHIS2)",
	    { P_DVS_GET }, B_NONE, 200, DK_TYPE_CSV, "{\"type\":\"string\"}", { E_READ },
	    NULL },
	{ M_GET, "/api/v1/dataValueSets.adx", "data_value_sets_adx",
	    "Số liệu chỉ tiêu dạng IHE ADX (urn:ihe:qrph:adx:2015)",
	    { P_DVS_GET }, B_NONE, 200, DK_TYPE_ADX, "{\"type\":\"string\"}", { E_READ },
	    NULL },
	{ M_POST, "/api/v1/dataValueSets", "import_data_value_sets",
	    "Nhập số liệu chỉ tiêu dạng dataValueSets (JSON, CSV) hoặc ADX qua cùng kiểm tra, "
	    "phân quyền, quy trình và khóa như mọi lần ghi; trả lời bản tóm tắt nhập của DHIS2",
	    { { DK_DATA_SET, FLD_NONE, false, K_TEXT, false,
	        "bộ dữ liệu của các giá trị (CSV không mang nó)" },
	      { DK_DRY_RUN, FLD_NONE, false, K_BOOL, false, "true: chạy thử, không ghi gì" },
	      { DK_IMPORT_STRATEGY, FLD_NONE, false, K_STRATEGY, false,
	        "CREATE_AND_UPDATE (mặc định), CREATE, UPDATE hoặc DELETE" },
	      { DK_ID_SCHEME, FLD_NONE, false, K_SCHEME, false,
	        "mã được viết theo uid (mặc định; ADX: code) hoặc code" },
	      { DK_DE_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho dataElement" },
	      { DK_OU_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho orgUnit" },
	      { DK_DS_ID_SCHEME, FLD_NONE, false, K_SCHEME, false, "riêng cho dataSet" },
	      { DK_FIRST_ROW_IS_HEADER, FLD_NONE, false, K_BOOL, false,
	        "CSV: false khi dòng đầu không phải tiêu đề" } },
	    B_DATA_VALUES, 200, NULL, "{\"$ref\":\"#/components/schemas/_import_summary\"}",
	    { 400, 401, 403, 413, 415 }, NULL },
	{ M_POST, "/api/v1/units/reorganise", "units_reorganise",
	    "Sắp xếp đơn vị hành chính theo tệp CSV (đơn vị mới, quan hệ nhập, chia "
	    "tách, đổi tên); không có apply=1 thì chỉ xem trước (quản trị viên)",
	    { { "apply", FLD_NONE, false, K_FLAG, false, "1: áp dụng; 0 hoặc bỏ trống: xem trước" } },
	    B_CSV, 200, NULL, A_REORG, { 400, 401, 403, 413, 415, 422 }, NULL },
	{ M_GET, "/metrics", "metrics", "Số đo Prometheus (quản trị viên)", { { 0 } },
	    B_NONE, 200, "text/plain", "{\"type\":\"string\"}", { 401, 403 }, NULL },
};

/* The route tables of this layer whose RT_API routes (and those under
 * /api/) the document describes, in cli/routes.c's order. */
static const struct route *const tables[] = {
	openapi_routes, values_routes, dhis2_routes, attach_routes, coord_routes, report_routes,
	reorg_routes, api_routes,
};

/* ---- building JSON: the first failed step spoils the document -------------- */

struct gen {
	bool ok;
};

static json_t *
put(struct gen *g, json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || obj == NULL || json_object_set_new(obj, key, v) != 0)
		g->ok = false;
	return obj;
}

static json_t *
push(struct gen *g, json_t *arr, json_t *v)
{
	if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0)
		g->ok = false;
	return arr;
}

static json_t *
obj(struct gen *g)
{
	json_t *o = json_object();

	if (o == NULL)
		g->ok = false;
	return o;
}

static json_t *
ref(struct gen *g, const char *base, const char *name)
{
	char buf[OA_REF_MAX];
	int n = snprintf(buf, sizeof(buf), "%s%s", base, name);

	if (n < 0 || (size_t)n >= sizeof(buf)) /* a cut reference would dangle */
		g->ok = false;
	return put(g, obj(g), "$ref", json_string(buf));
}

/* {"type": t} or {"type": [t, "null"]} */
static json_t *
typed(struct gen *g, const char *t, bool nullable)
{
	json_t *o = obj(g);

	if (!nullable)
		return put(g, o, "type", json_string(t));
	return put(g, o, "type", json_pack("[s, s]", t, "null"));
}

/* ---- entity schemas from the registry --------------------------------------- */

/* What the field says besides its label: the catalog of a code, the entity
 * of a reference, the written forms of structured text. */
static void
field_description(const struct field_def *f, char *buf, size_t len)
{
	const char *fmt = field_format_name(f);
	const struct entity_def *t;

	if (f->type == FT_CATALOG)
		snprintf(buf, len, "%s: mã trong danh mục %s", f->label, f->arg);
	else if (f->type == FT_REF && (t = registry_find(f->arg)) != NULL)
		snprintf(buf, len, "%s: id của %s (%s)", f->label, t->label, t->name);
	else if (f->type == FT_DATE)
		snprintf(buf, len, "%s: ngày YYYY-MM-DD (nhận cả 31/10/2023)", f->label);
	else if (fmt != NULL)
		snprintf(buf, len, "%s: dạng %s, lưu ở dạng chuẩn (docs/API.md)", f->label,
		    fmt);
	else
		snprintf(buf, len, "%s", f->label);
}

/* The JSON Schema of one field's value; nullable for a field that is not
 * required (its value may be null or absent). */
static json_t *
field_schema(struct gen *g, const struct field_def *f, bool nullable)
{
	char desc[512], code[128];
	json_t *s, *choices;
	size_t i, n;

	switch (f->type) {
	case FT_INTEGER:
	case FT_DECIMAL:
		s = typed(g, f->type == FT_INTEGER ? "integer" : "number", nullable);
		if (f->min < f->max) {
			put(g, s, "minimum", json_real(f->min));
			put(g, s, "maximum", json_real(f->max));
		}
		break;
	case FT_REF:
		s = put(g, typed(g, "integer", nullable), "minimum", json_integer(1));
		break;
	case FT_BOOLEAN:
		s = typed(g, "boolean", nullable);
		break;
	case FT_DATE:
		s = put(g, typed(g, "string", nullable), "format", json_string("date"));
		break;
	case FT_ENUM:
		s = typed(g, "string", nullable);
		choices = json_array();
		n = enum_count(f);
		for (i = 0; i < n; i++) {
			if (enum_choice(f, i, code, sizeof(code), NULL, 0) != 0)
				g->ok = false;
			push(g, choices, json_string(code));
		}
		if (nullable)
			push(g, choices, json_null());
		put(g, s, "enum", choices);
		break;
	default: /* FT_TEXT, FT_CATALOG: text of at most max characters */
		s = typed(g, "string", nullable);
		if (f->max > 0)
			put(g, s, "maxLength", json_integer((json_int_t)f->max));
		break;
	}
	field_description(f, desc, sizeof(desc));
	put(g, s, "title", json_string(f->label));
	put(g, s, "description", json_string(desc));
	if (f->type == FT_ENUM) {
		/* the labels of the choices, in the document's language */
		char label[256];
		json_t *labels = obj(g);
		n = enum_count(f);
		for (i = 0; i < n; i++) {
			if (enum_choice(f, i, code, sizeof(code), label, sizeof(label)) != 0)
				g->ok = false;
			put(g, labels, code, json_string(label));
		}
		put(g, s, "x-enum-labels", labels);
	}
	if (f->flags & F_SYSTEM)
		put(g, s, "readOnly", json_true());
	return s;
}

enum body_kind { AS_RECORD, AS_CREATE, AS_PATCH };

/* The entity as answered (every field but secrets, with the common
 * columns), as created (the fields a client may send, the required ones
 * required) or as patched (the same, none required). */
static json_t *
entity_schema(struct gen *g, const struct entity_def *ent, enum body_kind kind)
{
	json_t *s = obj(g), *props = obj(g), *req = json_array();
	const struct field_def *f;
	size_t i;

	put(g, s, "type", json_string("object"));
	put(g, s, "title", json_string(ent->label));
	if (kind == AS_RECORD) {
		put(g, props, "id", put(g, typed(g, "integer", false), "minimum",
		    json_integer(1)));
		put(g, props, "version", put(g, typed(g, "integer", false), "minimum",
		    json_integer(1)));
		put(g, props, "created_at", put(g, typed(g, "string", true), "format",
		    json_string("date-time")));
		put(g, props, "updated_at", put(g, typed(g, "string", true), "format",
		    json_string("date-time")));
		put(g, props, COMMON_ILLUSTRATIVE, put(g, typed(g, "boolean", false),
		    "description", json_string("bản ghi minh họa (dữ liệu mẫu)")));
		push(g, req, json_string("id"));
		push(g, req, json_string("version"));
	} else {
		put(g, props, COMMON_ILLUSTRATIVE, typed(g, "boolean", false));
	}
	for (i = 0; i < ent->nfields; i++) {
		f = &ent->fields[i];
		if ((kind == AS_RECORD && (f->flags & F_SECRET)) ||
		    (kind != AS_RECORD && (f->flags & F_SYSTEM)))
			continue;
		put(g, props, f->name, field_schema(g, f, !(f->flags & F_REQUIRED)));
		/* a write-only secret (F_SECRET without F_SYSTEM) */
		if (f->flags & F_SECRET)
			put(g, json_object_get(props, f->name), "writeOnly", json_true());
		if (kind == AS_CREATE && (f->flags & F_REQUIRED))
			push(g, req, json_string(f->name));
	}
	put(g, s, "properties", props);
	if (json_array_size(req) > 0)
		put(g, s, "required", req);
	else
		json_decref(req);
	return s;
}

/* ---- parameters ------------------------------------------------------------------ */

static json_t *
param(struct gen *g, const char *name, bool path, bool required, json_t *schema,
    const char *desc)
{
	json_t *p = obj(g);

	put(g, p, "name", json_string(name));
	put(g, p, "in", json_string(path ? "path" : "query"));
	put(g, p, "required", json_boolean(path || required));
	if (desc != NULL)
		put(g, p, "description", json_string(desc));
	return put(g, p, "schema", schema);
}

static json_t *
kind_schema(struct gen *g, enum oa_kind k)
{
	switch (k) {
	case K_ID:
		return put(g, typed(g, "integer", false), "minimum", json_integer(1));
	case K_YEAR:
		return typed(g, "integer", false);
	case K_DATE:
		return put(g, typed(g, "string", false), "format", json_string("date"));
	case K_FLAG:
		return put(g, typed(g, "string", false), "enum", json_pack("[s, s]", "0", "1"));
	case K_BOOL:
		return put(g, typed(g, "string", false), "enum", json_pack("[s, s]", DK_TRUE,
		    DK_FALSE));
	case K_SCHEME:
		return put(g, typed(g, "string", false), "enum", json_pack("[s, s, s, s, s]",
		    DK_SCHEME_UID, DK_SCHEME_CODE, "UID", "CODE", DK_SCHEME_ID));
	case K_STRATEGY:
		return put(g, typed(g, "string", false), "enum", json_pack("[s, s, s, s]",
		    DK_CREATE_AND_UPDATE, DK_CREATE, DK_UPDATE, DK_DELETE));
	case K_FORMAT:
		return put(g, typed(g, "string", false), "enum",
		    json_pack("[s, s, s, s, s, s]", "docx", "xlsx", "csv", "html", "pdf",
		    "json"));
	case K_ENTITY: {
		json_t *names = json_array();
		size_t i;
		for (i = 0; i < registry_count; i++)
			push(g, names, json_string(registry[i]->name));
		return put(g, typed(g, "string", false), "enum", names);
	}
	default:
		return typed(g, "string", false);
	}
}

/* The filters of a list: equality and each comparison on every field
 * (and on id and illustrative), as api_list_query reads them. */
static void
list_params(struct gen *g, json_t *params, const struct entity_def *ent)
{
	static const struct { const char *suffix, *what; } ops[] = {
		{ "", "bằng" }, { "__ne", "khác" }, { "__gte", "từ" }, { "__lte", "đến" },
		{ "__gt", "lớn hơn" }, { "__lt", "nhỏ hơn" },
	};
	char name[96], desc[600], label[512];
	size_t i, j;

	for (i = 0; i < ent->nfields + 2; i++) {
		const struct field_def *f = i < ent->nfields ? &ent->fields[i] : NULL;
		const char *fname = f ? f->name : i == ent->nfields ? "id" : COMMON_ILLUSTRATIVE;
		json_t *schema;

		if (f != NULL && (f->flags & F_SECRET))
			continue;
		if (f != NULL)
			field_description(f, label, sizeof(label));
		else
			snprintf(label, sizeof(label), "%s", fname);
		for (j = 0; j < sizeof(ops) / sizeof(ops[0]); j++) {
			snprintf(name, sizeof(name), "%s%s", fname, ops[j].suffix);
			snprintf(desc, sizeof(desc), "lọc: %s %s giá trị này", label, ops[j].what);
			/* a filter is read as the field's written form ("quý 4/2025",
			 * "31/10/2023"): text in the URL */
			schema = f != NULL && (f->type == FT_INTEGER || f->type == FT_REF) ?
			    typed(g, "integer", false) : typed(g, "string", false);
			push(g, params, param(g, name, false, false, schema, desc));
		}
		snprintf(name, sizeof(name), "%s__null", fname);
		snprintf(desc, sizeof(desc), "lọc: %s trống (1) hoặc có giá trị (0)", label);
		push(g, params, param(g, name, false, false, kind_schema(g, K_FLAG), desc));
		/* a reference to a unit, or to a record that has one (store.h:
		 * OP_WITHIN) */
		if (f != NULL && f->type == FT_REF && registry_find(f->arg) != NULL &&
		    (registry_find(f->arg)->id == ENT_ADMIN_UNIT ||
		    store_unit_field_of(registry_find(f->arg)) != NULL)) {
			snprintf(name, sizeof(name), "%s__within", fname);
			snprintf(desc, sizeof(desc), "lọc: %.300s thuộc địa bàn của đơn vị hành "
			    "chính có id này (cả các cấp dưới và đơn vị trước sắp xếp 2025)", label);
			push(g, params, param(g, name, false, false, typed(g, "integer", false),
			    desc));
		}
	}
	push(g, params, ref(g, "#/components/parameters/", "q"));
	push(g, params, ref(g, "#/components/parameters/", "sort"));
	push(g, params, ref(g, "#/components/parameters/", "limit"));
	push(g, params, ref(g, "#/components/parameters/", "offset"));
}

/* ---- operations -------------------------------------------------------------- */

static json_t *
json_content(struct gen *g, const char *type, json_t *schema)
{
	json_t *c = obj(g);

	put(g, c, type, put(g, obj(g), "schema", schema));
	return c;
}

/* The answers of an operation: its success, and each error status by
 * reference to components/responses. */
static json_t *
responses(struct gen *g, int ok, const char *desc, json_t *content, const int *errors,
    size_t nerrors)
{
	json_t *rs = obj(g), *r = obj(g);
	char code[8];
	size_t i;

	put(g, r, "description", json_string(desc));
	if (content != NULL)
		put(g, r, "content", content);
	snprintf(code, sizeof(code), "%d", ok);
	put(g, rs, code, r);
	for (i = 0; i < nerrors && errors[i] != 0; i++) {
		snprintf(code, sizeof(code), "%d", errors[i]);
		put(g, rs, code, ref(g, OA_RESPONSES, code));
	}
	/* every request may meet these (nothing is written): a query string
	 * the server cannot read is refused before any handler */
	if (json_object_get(rs, "400") == NULL)
		put(g, rs, "400", ref(g, OA_RESPONSES, "400"));
	put(g, rs, "500", ref(g, OA_RESPONSES, "500"));
	put(g, rs, "503", ref(g, OA_RESPONSES, "503"));
	return rs;
}

/* Security of an operation: a token, or the session cookie (with the CSRF
 * header when it changes something); public ones need none. */
static json_t *
security(struct gen *g, bool public, bool writes)
{
	json_t *s = json_array(), *cookie;

	if (public)
		return s;
	cookie = obj(g);
	push(g, s, put(g, obj(g), "bearer", json_array()));
	put(g, cookie, "session", json_array());
	if (writes)
		put(g, cookie, "csrf", json_array());
	return push(g, s, cookie);
}

static json_t *
operation(struct gen *g, const char *id, const char *summary, const char *tag,
    json_t *params, bool public, bool writes)
{
	json_t *op = obj(g);

	put(g, op, "operationId", json_string(id));
	put(g, op, "summary", json_string(summary));
	put(g, op, "tags", json_pack("[s]", tag));
	if (params != NULL && json_array_size(params) > 0)
		put(g, op, "parameters", params);
	else
		json_decref(params);
	return put(g, op, "security", security(g, public, writes));
}

static json_t *
path_item(struct gen *g, json_t *paths, const char *path)
{
	json_t *item = json_object_get(paths, path);

	if (item == NULL)
		put(g, paths, path, item = obj(g));
	return item;
}

static json_t *
id_param(struct gen *g, const char *desc)
{
	return param(g, "id", true, true, kind_schema(g, K_ID), desc);
}

/* The five endpoints (and _bulk) of one entity. */
static void
entity_paths(struct gen *g, json_t *paths, const struct entity_def *ent)
{
	static const int e_list[] = { 400, 401, 403 };
	static const int e_get[] = { 400, 401, 403, 404 };
	static const int e_create[] = { 400, 401, 403, 409, 413, 415, 422, 507 };
	static const int e_update[] = { 400, 401, 403, 404, 409, 412, 413, 415, 422, 507 };
	static const int e_delete[] = { 400, 401, 403, 404, 409, 412, 507 };
	char path[160], id[160], sum[400], schema[160], lc[256];
	json_t *item, *op, *params, *body, *list, *content;
	bool writable = !(ent->flags & E_READONLY);

	/* the label after a verb: "Sửa số liệu chỉ tiêu" */
	text_label_in_sentence(ent->label, lc, sizeof(lc));

	snprintf(path, sizeof(path), "/api/v1/%s", ent->name);
	item = path_item(g, paths, path);
	params = json_array();
	list_params(g, params, ent);
	snprintf(id, sizeof(id), "list_%s", ent->name);
	snprintf(sum, sizeof(sum), "Danh sách %s", lc);
	op = operation(g, id, sum, ent->name, params, false, false);
	list = obj(g);
	put(g, list, "type", json_string("object"));
	put(g, list, "required", json_pack("[s, s, s, s]", "items", "total", "limit", "offset"));
	put(g, list, "properties", json_pack("{s:{s:s, s:o}, s:{s:s}, s:{s:s}, s:{s:s}}",
	    "items", "type", "array", "items", ref(g, OA_SCHEMAS, ent->name),
	    "total", "type", "integer", "limit", "type", "integer",
	    "offset", "type", "integer"));
	put(g, op, "responses", responses(g, 200, "các bản ghi",
	    json_content(g, "application/json", list), e_list,
	    sizeof(e_list) / sizeof(e_list[0])));
	put(g, item, "get", op);
	if (writable) {
		snprintf(id, sizeof(id), "create_%s", ent->name);
		snprintf(sum, sizeof(sum), "Thêm %s", lc);
		op = operation(g, id, sum, ent->name, NULL, false, true);
		snprintf(schema, sizeof(schema), "%s_create", ent->name);
		body = put(g, obj(g), "required", json_true());
		put(g, body, "content", json_content(g, "application/json",
		    ref(g, OA_SCHEMAS, schema)));
		put(g, op, "requestBody", body);
		put(g, op, "responses", responses(g, 201, "bản ghi đã thêm (Location, ETag)",
		    json_content(g, "application/json", ref(g, OA_SCHEMAS, ent->name)),
		    e_create, sizeof(e_create) / sizeof(e_create[0])));
		put(g, item, "post", op);

		snprintf(path, sizeof(path), "/api/v1/%s/_bulk", ent->name);
		item = path_item(g, paths, path);
		snprintf(id, sizeof(id), "bulk_%s", ent->name);
		snprintf(sum, sizeof(sum), "Nhập nhiều %s (CSV hoặc mảng JSON; tất cả hoặc "
		    "không, trừ khi skip_invalid=1)", lc);
		params = json_array();
		push(g, params, param(g, "skip_invalid", false, false, kind_schema(g, K_FLAG),
		    "1: nhập các dòng hợp lệ, bỏ các dòng sai"));
		op = operation(g, id, sum, ent->name, params, false, true);
		content = json_content(g, "application/json", json_pack("{s:s, s:o}",
		    "type", "array", "items", ref(g, OA_SCHEMAS, schema)));
		put(g, content, "text/csv", put(g, obj(g), "schema", json_pack("{s:s, s:s}",
		    "type", "string", "description",
		    "dòng đầu là tên các trường, mỗi dòng sau một bản ghi")));
		put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()),
		    "content", content));
		put(g, op, "responses", responses(g, 200, "kết quả nhập",
		    json_content(g, "application/json", ref(g, OA_SCHEMAS, "_bulk_result")),
		    e_create, sizeof(e_create) / sizeof(e_create[0])));
		put(g, item, "post", op);
	}

	snprintf(path, sizeof(path), "/api/v1/%s/{id}", ent->name);
	item = path_item(g, paths, path);
	put(g, item, "parameters", push(g, json_array(), id_param(g, "id của bản ghi")));
	snprintf(id, sizeof(id), "get_%s", ent->name);
	snprintf(sum, sizeof(sum), "Một %s", lc);
	op = operation(g, id, sum, ent->name, NULL, false, false);
	put(g, op, "responses", responses(g, 200, "bản ghi (ETag: phiên bản)",
	    json_content(g, "application/json", ref(g, OA_SCHEMAS, ent->name)), e_get,
	    sizeof(e_get) / sizeof(e_get[0])));
	put(g, item, "get", op);
	if (!writable)
		return;
	snprintf(id, sizeof(id), "update_%s", ent->name);
	snprintf(sum, sizeof(sum), "Sửa %s (các trường đổi; If-Match: phiên bản)", lc);
	op = operation(g, id, sum, ent->name, push(g, json_array(),
	    ref(g, "#/components/parameters/", "if_match")), false, true);
	snprintf(schema, sizeof(schema), "%s_patch", ent->name);
	put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()), "content",
	    json_content(g, "application/json", ref(g, OA_SCHEMAS, schema))));
	put(g, op, "responses", responses(g, 200, "bản ghi đã sửa (ETag)",
	    json_content(g, "application/json", ref(g, OA_SCHEMAS, ent->name)), e_update,
	    sizeof(e_update) / sizeof(e_update[0])));
	put(g, item, "patch", op);
	snprintf(id, sizeof(id), "delete_%s", ent->name);
	snprintf(sum, sizeof(sum), "Xóa %s", lc);
	op = operation(g, id, sum, ent->name, push(g, json_array(),
	    ref(g, "#/components/parameters/", "if_match")), false, true);
	put(g, op, "responses", responses(g, 204, "đã xóa", NULL, e_delete,
	    sizeof(e_delete) / sizeof(e_delete[0])));
	put(g, item, "delete", op);
}

static const char *
method_key(unsigned m)
{
	switch (m) {
	case M_GET: return "get";
	case M_POST: return "post";
	case M_PATCH: return "patch";
	case M_PUT: return "put";
	case M_DELETE: return "delete";
	default: return NULL;
	}
}

/* A special endpoint's path: each ':' of the pattern becomes the next path
 * parameter's {name}. */
static bool
special_path(const struct oa_special *sp, char *out, size_t len)
{
	const char *p;
	size_t n = 0, k = 0;
	int w;

	for (p = sp->pattern; *p && n + 1 < len; p++) {
		const char *name;
		if (*p != ':') {
			out[n++] = *p;
			continue;
		}
		while (k < OA_PARAMS_MAX && !(sp->params[k].path))
			k++;
		if (k == OA_PARAMS_MAX)
			return false;
		name = sp->params[k].name ? sp->params[k].name : field_name(sp->params[k].fld);
		w = snprintf(out + n, len - n, "{%s}", name);
		if (w < 0 || (size_t)w >= len - n)
			return false;
		n += (size_t)w;
		k++;
	}
	out[n] = '\0';
	return *p == '\0';
}

static void
special_op(struct gen *g, json_t *paths, const struct oa_special *sp, unsigned flags)
{
	char path[160];
	json_t *item, *op, *params = json_array(), *content = NULL, *schema;
	const char *also, *next;
	bool writes = sp->method != M_GET;
	size_t i;

	if (!special_path(sp, path, sizeof(path))) {
		g->ok = false;
		json_decref(params);
		return;
	}
	for (i = 0; i < OA_PARAMS_MAX && sp->params[i].desc != NULL; i++) {
		const struct oa_param *p = &sp->params[i];
		push(g, params, param(g, p->name ? p->name : field_name(p->fld), p->path,
		    p->required, kind_schema(g, p->kind), p->desc));
	}
	op = operation(g, sp->op, sp->summary, "khác", params, flags & RT_PUBLIC, writes);
	if (sp->body == B_SESSION) {
		put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()),
		    "content", json_content(g, "application/json", ref(g, OA_SCHEMAS,
		    "_sign_in"))));
	} else if (sp->body == B_DATA_VALUES) {
		json_t *c = json_content(g, DK_TYPE_JSON, ref(g, OA_SCHEMAS, "_data_value_set"));
		put(g, c, DK_TYPE_CSV, put(g, obj(g), "schema", json_pack("{s:s, s:s}", "type",
		    "string", "description", "cột theo thứ tự: dataelement, period, orgunit, "
		    "categoryoptioncombo, attributeoptioncombo, value, storedby, lastupdated, "
		    "comment, followup, deleted; dòng đầu là tiêu đề")));
		put(g, c, DK_TYPE_ADX, put(g, obj(g), "schema", json_pack("{s:s, s:s}", "type",
		    "string", "description", "ADX: <adx xmlns=\"urn:ihe:qrph:adx:2015\"> với các "
		    "<group orgUnit period dataSet> và <dataValue dataElement value>")));
		put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()),
		    "content", c));
	} else if (sp->body == B_FILE) {
		put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()),
		    "content", json_content(g, "*/*", json_pack("{s:s, s:s}", "type", "string",
		    "contentMediaType", "application/octet-stream"))));
	} else if (sp->body == B_CSV) {
		put(g, op, "requestBody", put(g, put(g, obj(g), "required", json_true()),
		    "content", json_content(g, "text/csv", json_pack("{s:s}", "type",
		    "string"))));
	}
	if (sp->answer != NULL) {
		if ((schema = json_loads(sp->answer, 0, NULL)) == NULL)
			g->ok = false;
		content = json_content(g, sp->type ? sp->type : "application/json", schema);
		for (also = sp->also; also != NULL && *also; also = next) {
			char type[OA_REF_MAX];
			size_t n;
			next = strchr(also, ',');
			n = next ? (size_t)(next - also) : strlen(also);
			snprintf(type, sizeof(type), "%.*s", (int)n, also);
			next = next ? next + 1 : NULL;
			put(g, content, type, put(g, obj(g), "schema", json_pack("{s:s, s:s}",
			    "type", "string", "contentMediaType", type)));
		}
	}
	put(g, op, "responses", responses(g, sp->ok, "trả lời", content, sp->errors,
	    OA_STATUSES_MAX));
	item = path_item(g, paths, path);
	put(g, item, method_key(sp->method), op);
}

static const struct oa_special *
special_of(const char *pattern, unsigned method)
{
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (specials[i].method == method && strcmp(specials[i].pattern, pattern) == 0)
			return &specials[i];
	return NULL;
}

/* The generic routes: their ':' is an entity's name. */
static bool
generic_route(const char *pattern)
{
	return strncmp(pattern, "/api/v1/:", 9) == 0;
}

/* ---- components ---------------------------------------------------------------- */

static json_t *
error_schema(struct gen *g)
{
	json_t *codes = json_array(), *err;
	int c;

	for (c = ERR_BAD_REQUEST; c <= ERR_NO_MEMORY; c++)
		push(g, codes, json_string(err_code_name((enum err_code)c)));
	err = json_pack("{s:s, s:[s, s], s:{s:{s:s, s:o}, s:{s:s}, s:{s:s, s:s, s:{s:s}}}}",
	    "type", "object", "required", "code", "message", "properties",
	    "code", "type", "string", "enum", codes,
	    "message", "type", "string",
	    "fields", "type", "object", "description",
	    "mỗi trường (hoặc tham số) sai và lời giải thích bằng tiếng Việt",
	    "additionalProperties", "type", "string");
	return json_pack("{s:s, s:s, s:[s], s:{s:o}}", "type", "object", "description",
	    "lỗi: {\"error\": {code, message, fields}}", "required", "error",
	    "properties", "error", err);
}

/* A DHIS2 data value set (docs/exchange-standards.md §1.2): the set's
 * fields and its values, each a string. */
static json_t *
data_value_set_schema(struct gen *g)
{
	static const char *const set_keys[] = { DK_DATA_SET, DK_COMPLETE_DATE, DK_PERIOD,
		DK_ORG_UNIT, DK_AOC, DK_ID_SCHEME, DK_DE_ID_SCHEME, DK_OU_ID_SCHEME,
		DK_STRATEGY, NULL };
	static const char *const value_keys[] = { DK_DATA_ELEMENT, DK_PERIOD, DK_ORG_UNIT,
		DK_COC, DK_AOC, DK_STORED_BY, DK_CREATED, DK_LAST_UPDATED, DK_COMMENT, NULL };
	json_t *s = obj(g), *props = obj(g), *item = obj(g), *iprops = obj(g);
	size_t i;

	for (i = 0; set_keys[i] != NULL; i++)
		put(g, props, set_keys[i], typed(g, "string", true));
	put(g, props, DK_DRY_RUN, typed(g, "boolean", false));
	for (i = 0; value_keys[i] != NULL; i++)
		put(g, iprops, value_keys[i], typed(g, "string", true));
	put(g, iprops, DK_VALUE, json_pack("{s:[s, s, s]}", "type", "string", "number",
	    "null"));
	put(g, iprops, DK_FOLLOWUP, typed(g, "boolean", true));
	put(g, iprops, DK_DELETED, typed(g, "boolean", true));
	put(g, item, "type", json_string("object"));
	put(g, item, "required", json_pack("[s]", DK_DATA_ELEMENT));
	put(g, item, "properties", iprops);
	put(g, props, DK_DATA_VALUES, json_pack("{s:s, s:o}", "type", "array", "items",
	    item));
	put(g, s, "type", json_string("object"));
	put(g, s, "description", json_string("dataValueSet của DHIS2 (docs/EXCHANGE.md): "
	    "dataSet, completeDate, period, orgUnit của cả bộ và các giá trị dataValues"));
	put(g, s, "required", json_pack("[s]", DK_DATA_VALUES));
	return put(g, s, "properties", props);
}

/* DHIS2's import summary, as 2.37 and earlier answer it (§1.9). */
static json_t *
import_summary_schema(struct gen *g)
{
	json_t *count = json_pack("{s:s, s:[s, s, s, s], s:{s:{s:s}, s:{s:s}, s:{s:s}, "
	    "s:{s:s}}}", "type", "object", "required", DK_IMPORTED, DK_UPDATED, DK_IGNORED,
	    DK_DELETED_COUNT, "properties", DK_IMPORTED, "type", "integer", DK_UPDATED,
	    "type", "integer", DK_IGNORED, "type", "integer", DK_DELETED_COUNT, "type",
	    "integer");
	json_t *conflict = json_pack("{s:s, s:[s, s], s:{s:{s:s}, s:{s:s}, s:{s:s}, "
	    "s:{s:s, s:{s:s}}}}", "type", "object", "required", DK_OBJECT, DK_VALUE,
	    "properties", DK_OBJECT, "type", "string", DK_PROPERTY, "type", "string",
	    DK_VALUE, "type", "string", DK_INDEXES, "type", "array", "items", "type",
	    "integer");
	json_t *s = json_pack("{s:s, s:s, s:[s, s, s], s:{s:{s:s}, s:{s:s, s:[s, s, s]}, "
	    "s:{s:s}, s:o, s:{s:s, s:o}, s:{s:s, s:{s:s}}, s:{s:s}}}", "type", "object",
	    "description", "bản tóm tắt nhập (ImportSummary) của DHIS2: mỗi giá trị bị từ "
	    "chối có một conflict nêu giá trị ấy", "required", DK_STATUS, DK_IMPORT_COUNT,
	    DK_CONFLICTS, "properties", DK_RESPONSE_TYPE, "type", "string", DK_STATUS, "type",
	    "string", "enum", DK_SUCCESS, DK_WARNING, DK_ERROR, DK_DESCRIPTION, "type",
	    "string", DK_IMPORT_COUNT, count, DK_CONFLICTS, "type", "array", "items",
	    conflict, DK_REJECTED_INDEXES, "type", "array", "items", "type", "integer",
	    DK_DATA_SET_COMPLETE, "type", "string");

	if (s == NULL)
		g->ok = false;
	return s;
}

static json_t *
components(struct gen *g)
{
	static const struct { int status; const char *desc; } errs[] = {
		{ 400, "yêu cầu sai (JSON hỏng, tham số không phải số, văn bản không phải "
		    "UTF-8…): fields nêu tên" },
		{ 401, "chưa đăng nhập" }, { 403, "vai trò hoặc phạm vi không cho phép" },
		{ 404, "không có bản ghi (hoặc không được xem)" },
		{ 409, "trùng khóa, bản ghi còn được tham chiếu, hoặc đã khóa" },
		{ 412, "If-Match nêu phiên bản cũ: người khác đã sửa" },
		{ 413, "nội dung quá lớn" }, { 415, "loại nội dung không nhận" },
		{ 422, "dữ liệu không hợp lệ: fields nêu từng trường sai" },
		{ 429, "đăng nhập bị hãm" },
		{ 500, "lỗi nội bộ, cơ sở dữ liệu hoặc tệp; không ghi gì" },
		{ 503, "hết bộ nhớ hoặc cơ sở dữ liệu không kết nối được: thử lại sau" },
		{ 507, "đĩa đầy; không ghi gì" },
	};
	json_t *c = obj(g), *schemas = obj(g), *resps = obj(g), *params = obj(g), *sec;
	char code[8];
	size_t i;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		char name[160];
		put(g, schemas, ent->name, entity_schema(g, ent, AS_RECORD));
		if (ent->flags & E_READONLY)
			continue; /* no writes through the API (entity_paths) */
		snprintf(name, sizeof(name), "%s_create", ent->name);
		put(g, schemas, name, entity_schema(g, ent, AS_CREATE));
		snprintf(name, sizeof(name), "%s_patch", ent->name);
		put(g, schemas, name, entity_schema(g, ent, AS_PATCH));
	}
	put(g, schemas, "_error", error_schema(g));
	put(g, schemas, "_bulk_result", json_pack("{s:s, s:[s, s, s, s], s:{s:{s:s}, "
	    "s:{s:s}, s:{s:s}, s:{s:s, s:{s:s, s:{s:{s:s}, s:{s:[s, s]}, s:{s:s}}}}, "
	    "s:o}}",
	    "type", "object", "required", "rows", "imported", "rejected", "errors",
	    "properties", "rows", "type", "integer", "imported", "type", "integer",
	    "rejected", "type", "integer",
	    "errors", "type", "array", "items", "type", "object", "properties",
	    "line", "type", "integer", "field", "type", "string", "null",
	    "message", "type", "string",
	    "error", ref(g, OA_SCHEMAS "_error/properties/", "error")));
	put(g, schemas, "_data_value_set", data_value_set_schema(g));
	put(g, schemas, "_import_summary", import_summary_schema(g));
	put(g, schemas, "_me", json_pack("{s:s, s:[s, s, s], s:{s:{s:s}, s:{s:s}, s:{s:s}, "
	    "s:{s:s}, s:{s:s}}}",
	    "type", "object", "required", "id", "grants", "admin", "properties",
	    "id", "type", "integer",
	    field_name(FLD_APP_USER_LOGIN), "type", "string",
	    field_name(FLD_APP_USER_DISPLAY_NAME), "type", "string",
	    "grants", "type", "array", "admin", "type", "boolean"));
	put(g, schemas, "_sign_in", json_pack("{s:s, s:[s, s], s:{s:{s:s}, s:{s:s}}}",
	    "type", "object", "required", field_name(FLD_APP_USER_LOGIN), "password",
	    "properties",
	    field_name(FLD_APP_USER_LOGIN), "type", "string", "password", "type", "string"));
	/* a browser's request without a session, on the routes pages link
	 * to (a file, a built report): the sign-in page, then back */
	put(g, resps, "303", json_pack("{s:s, s:{s:{s:s, s:{s:s}}}}",
	    "description", "chưa đăng nhập (trình duyệt): chuyển đến trang đăng nhập",
	    "headers", "Location", "description", "/login?next=…", "schema", "type",
	    "string"));
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		snprintf(code, sizeof(code), "%d", errs[i].status);
		put(g, resps, code, put(g, put(g, obj(g), "description",
		    json_string(errs[i].desc)), "content", json_content(g, "application/json",
		    ref(g, OA_SCHEMAS, "_error"))));
	}
	put(g, params, "q", json_pack("{s:s, s:s, s:s, s:{s:s, s:i}}", "name", "q", "in",
	    "query", "description", "tìm trong các trường văn bản, không phân biệt dấu và "
	    "hoa thường", "schema", "type", "string", "maxLength", SEARCH_QUERY_MAX));
	put(g, params, "sort", json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", "sort", "in",
	    "query", "description", "sắp xếp theo một trường; '-' trước tên: giảm dần",
	    "schema", "type", "string"));
	put(g, params, "limit", json_pack("{s:s, s:s, s:s, s:{s:s, s:i, s:i}}", "name",
	    "limit", "in", "query", "description", "số bản ghi (mặc định 50, tối đa 1000)",
	    "schema", "type", "integer", "minimum", 0, "maximum", LIST_OFFSET_MAX));
	put(g, params, "offset", json_pack("{s:s, s:s, s:s, s:{s:s, s:i, s:i}}", "name",
	    "offset", "in", "query", "description", "bỏ qua bao nhiêu bản ghi đầu",
	    "schema", "type", "integer", "minimum", 0, "maximum", LIST_OFFSET_MAX));
	put(g, params, "if_match", json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:s}}", "name",
	    "If-Match", "in", "header", "required", 0, "description",
	    "phiên bản đang sửa, dạng \"3\" (ETag của GET): khác thì 412",
	    "schema", "type", "string", "pattern", "^\"[0-9]+\"$"));
	sec = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}",
	    "bearer", "type", "http", "scheme", "bearer", "description",
	    "token của `giapranh token create --login L`",
	    "session", "type", "apiKey", "in", "cookie", "name", SESSION_COOKIE,
	    "description", "phiên đăng nhập (POST /api/v1/session hoặc /login)",
	    "csrf", "type", "apiKey", "in", "header", "name", "X-CSRF-Token",
	    "description", "mã CSRF của phiên, cần cho yêu cầu thay đổi dữ liệu bằng cookie");
	put(g, c, "schemas", schemas);
	put(g, c, "responses", resps);
	put(g, c, "parameters", params);
	put(g, c, "securitySchemes", sec);
	return c;
}

/* ---- the document ----------------------------------------------------------------- */

json_t *
openapi_document(void)
{
	struct gen g = { true };
	json_t *doc = obj(&g), *paths = obj(&g), *tags = json_array();
	static const unsigned methods[] = { M_GET, M_POST, M_PATCH, M_PUT, M_DELETE };
	size_t t, i, m;

	put(&g, doc, "openapi", json_string("3.1.0"));
	put(&g, doc, "info", json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "title",
	    "giapranh API", "version", "1",
	    "description", "API JSON của giapranh, sinh ra từ mô tả các loại bản ghi "
	    "(schema/entities.txt) và bảng đường dẫn lúc máy chủ chạy; xem docs/API.md.",
	    "license", "name", "GPL-3.0-or-later", "identifier", "GPL-3.0-or-later"));
	put(&g, doc, "servers", json_pack("[{s:s}]", "url", "/"));
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (i = 0; tables[t][i].handler != NULL; i++) {
			const struct route *rt = &tables[t][i];
			if (!(rt->flags & RT_API) && strncmp(rt->pattern, "/api/", 5) != 0)
				continue;
			if (generic_route(rt->pattern))
				continue; /* per entity, below */
			for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
				const struct oa_special *sp;
				if (!(rt->methods & methods[m]))
					continue;
				/* one not in specials[] is left out: test_openapi.py
				 * names it */
				if ((sp = special_of(rt->pattern, methods[m])) != NULL)
					special_op(&g, paths, sp, rt->flags);
			}
		}
	}
	for (i = 0; i < registry_count; i++) {
		entity_paths(&g, paths, registry[i]);
		push(&g, tags, json_pack("{s:s, s:s}", "name", registry[i]->name,
		    "description", registry[i]->label));
	}
	push(&g, tags, json_pack("{s:s, s:s}", "name", "khác", "description",
	    "theo dõi, chỉ tiêu, báo cáo, phiên đăng nhập, tệp"));
	put(&g, doc, "tags", tags);
	put(&g, doc, "paths", paths);
	put(&g, doc, "components", components(&g));
	put(&g, doc, "security", security(&g, false, false));
	if (!g.ok) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- handlers ------------------------------------------------------------------------ */

static void
get_openapi(struct request *r)
{
	/* resp_json answers out_of_memory for NULL */
	resp_json(r, 200, openapi_document());
}

/* Swagger UI, loaded from this server (no inline script: the page's
 * Content-Security-Policy allows none); static/api-docs.js starts it on
 * the document named by data-url. */
static const char docs_page[] =
	"<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>giapranh API</title>\n"
	"<link rel=\"stylesheet\" href=\"/static/vendor/swagger-ui.css\">\n"
	"</head>\n<body>\n"
	"<div id=\"api-reference\" data-url=\"/api/v1/openapi.json\"></div>\n"
	"<script src=\"/static/vendor/swagger-ui-bundle.js\"></script>\n"
	"<script src=\"/static/api-docs.js\"></script>\n"
	"</body>\n</html>\n";

static void
get_docs(struct request *r)
{
	buf_add(&r->out, docs_page, sizeof(docs_page) - 1);
	if (buf_failed(&r->out)) {
		resp_fail(r, ERR_NO_MEMORY, "%s", ERR_NO_MEMORY_MSG);
		return;
	}
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
}

const struct route openapi_routes[] = {
	{ M_GET | M_HEAD, "/api/v1/openapi.json", get_openapi, RT_API | RT_PUBLIC },
	{ M_GET | M_HEAD, "/api/docs", get_docs, RT_HTML | RT_PUBLIC },
	{ 0, NULL, NULL, 0 },
};
