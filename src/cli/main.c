/*
 * main.c - the `giapranh` command line: one binary, one subcommand per
 * job, `--help` on each.  The database comes from --db URL, else
 * $GIAPRANH_DB, else sqlite:giapranh.db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/clock.h"
#include "cli/routes.h"
#include "domain/attach.h"
#include "domain/auth.h"
#include "domain/csvio.h"
#include "domain/dhis2.h"
#include "domain/dhis2_keys.h"
#include "domain/mail.h"
#include "domain/records.h"
#include "domain/remind.h"
#include "domain/reorg.h"
#include "domain/seed.h"
#include "http/confine.h"
#include "http/server.h"
#include "ingest/ingest.h"
#include "ingest/ingest_accept.h"
#include "ingest/ingest_keys.h"
#include "report/report.h"
#include "schema/record.h"
#include "schema/registry.h"
#include "store/store.h"
#include "text/text.h"
#include "web/web.h"

struct cli {
	const char *db;
	const char *data;
	int argc;       /* positional arguments after the command */
	char **argv;
	int help;
};

struct command {
	const char *name;
	const char *usage;
	const char *summary;
	int (*run)(struct cli *c);
};

static const struct command *find_command(const char *name);

static int
fail(struct err *e)
{
	fprintf(stderr, "giapranh: %s\n", e->msg[0] ? e->msg : "lỗi không xác định");
	if (e->fields != NULL) {
		const char *k;
		json_t *v;
		json_object_foreach(e->fields, k, v)
			fprintf(stderr, "  trường '%s': %s\n", k, json_string_value(v));
	}
	err_clear(e);
	return 1;
}

static int
open_store(struct cli *c, struct store **s, struct err *e)
{
	return store_open(c->db, s, e);
}

/* Value of option `name` in the positional args (removed from them), or
 * NULL; `flag` options take no value and return "1". */
static const char *
take_opt(struct cli *c, const char *name, int flag)
{
	int i, j, n;
	const char *v;

	for (i = 0; i < c->argc; i++) {
		if (strcmp(c->argv[i], name) != 0)
			continue;
		n = flag ? 1 : 2;
		if (!flag && i + 1 >= c->argc)
			return NULL;
		v = flag ? "1" : c->argv[i + 1];
		for (j = i; j + n < c->argc; j++)
			c->argv[j] = c->argv[j + n];
		c->argc -= n;
		return v;
	}
	return NULL;
}

/* ---- init ---------------------------------------------------------------- */

/* Structured text stored before it was checked, rewritten canonical (after
 * the units: "unit:084" scopes name them); what does not parse is listed
 * on stderr, every time, until someone corrects it. */
static int
canonicalise(struct store *s, struct err *e)
{
	struct seed_canon sc = { 0 };
	size_t i;
	json_t *r;

	if (seed_canonicalise(s, &sc, e) != 0) {
		json_decref(sc.shown);
		return -1;
	}
	if (sc.changed > 0)
		printf("Chuẩn hóa dữ liệu: %ld giá trị (kỳ báo cáo, phạm vi, mã) "
		    "được ghi lại theo dạng chuẩn.\n", sc.changed);
	if (sc.left > 0)
		fprintf(stderr, "giapranh: %ld bản ghi có giá trị không đọc được, "
		    "giữ nguyên; hãy sửa:\n", sc.left);
	json_array_foreach(sc.shown, i, r)
		fprintf(stderr, "  %s số %lld, trường %s = '%s': %s\n",
		    json_string_value(json_object_get(r, "entity")),
		    (long long)json_integer_value(json_object_get(r, "id")),
		    json_string_value(json_object_get(r, "field")),
		    json_string_value(json_object_get(r, "value")),
		    json_string_value(json_object_get(r, "message")));
	if (sc.left > (long)json_array_size(sc.shown))
		fprintf(stderr, "  … và %ld bản ghi khác\n",
		    sc.left - (long)json_array_size(sc.shown));
	json_decref(sc.shown);
	return 0;
}

static int
cmd_init(struct cli *c)
{
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	struct store *s;
	char dir[PATH_MAX_GP];
	int applied, demo = take_opt(c, "--demo", 1) != NULL;

	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	if (store_migrate(s, &applied, &e) != 0 || seed_reindex(s, &e) != 0)
		goto fail;
	printf("Lược đồ: %d bản cập nhật mới được áp dụng.\n", applied);
	snprintf(dir, sizeof(dir), "%s/admin-units", c->data);
	if (seed_admin_units(s, dir, &sum, &e) != 0)
		goto fail;
	if (sum.units_loaded_now)
		printf("Đơn vị hành chính: %ld đơn vị trước 1/7/2025, %ld đơn vị từ "
		    "1/7/2025, %ld quan hệ sắp xếp.\n", sum.units_2024,
		    sum.units_2025, sum.lineage);
	else
		printf("Đơn vị hành chính: đã có, không nạp lại.\n");
	if (canonicalise(s, &e) != 0)
		goto fail;
	if (demo) {
		snprintf(dir, sizeof(dir), "%s/demo", c->data);
		if (seed_demo(s, dir, &sum, &e) != 0)
			goto fail;
		if (sum.demo_loaded_now)
			printf("Dữ liệu mẫu: %ld bản ghi từ 5 báo cáo nguồn.\n",
			    sum.demo_records);
		else
			printf("Dữ liệu mẫu: đã có, không nạp lại.\n");
		if (seed_demo_users(s, &e) != 0)
			goto fail;
	}
	store_close(s);
	return 0;
fail:
	store_close(s);
	return fail(&e);
}

/* ---- import / export ------------------------------------------------------ */

static const struct entity_def *
entity_arg(const char *name)
{
	const struct entity_def *ent = registry_find(name);

	if (ent == NULL)
		fprintf(stderr, "giapranh: không có loại bản ghi '%s' (xem `giapranh "
		    "entities`)\n", name ? name : "");
	return ent;
}

static int
cmd_import(struct cli *c)
{
	const struct entity_def *ent;
	struct import_result res;
	struct err e = { 0 };
	struct store *s;
	/* past years' figures are migrated in the states they were kept in
	 * (workflow.h, "History loads") */
	struct actor who = { .name = "cli", .history = true };
	int skip = take_opt(c, "--skip-invalid", 1) != NULL, rc;
	size_t i;
	json_t *er;

	if (c->argc != 2) {
		fprintf(stderr, "cách dùng: %s\n", find_command("import")->usage);
		return 2;
	}
	if ((ent = entity_arg(c->argv[0])) == NULL)
		return 2;
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	rc = csv_import_file(s, ent, c->argv[1], skip, &who, &res, &e);
	json_array_foreach(res.errors, i, er) {
		const char *f = json_string_value(json_object_get(er, "field"));
		fprintf(stderr, "%s:%lld: %s%s%s%s\n", c->argv[1],
		    (long long)json_integer_value(json_object_get(er, "line")),
		    f ? "trường '" : "", f ? f : "", f ? "': " : "",
		    json_string_value(json_object_get(er, "message")));
	}
	json_decref(res.errors);
	/* written all the same: said so, line by line (plaus.h) */
	json_array_foreach(res.warnings, i, er)
		fprintf(stderr, "%s:%lld: cảnh báo: %s\n", c->argv[1],
		    (long long)json_integer_value(json_object_get(er, "line")),
		    json_string_value(json_object_get(er, "message")));
	json_decref(res.warnings);
	store_close(s);
	if (rc != 0)
		return fail(&e);
	printf("Đã nhập %ld/%ld dòng vào %s%s.\n", res.imported, res.rows,
	    ent->name, res.rejected ? " (bỏ qua các dòng lỗi)" : "");
	return 0;
}

static int
cmd_export(struct cli *c)
{
	const char *fmt = take_opt(c, "--format", 0), *outp = take_opt(c, "-o", 0);
	const struct entity_def *ent;
	struct err e = { 0 };
	struct store *s;
	FILE *out = stdout;
	int rc;

	if (fmt == NULL)
		fmt = "csv";
	if (c->argc != 1 || (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("export")->usage);
		return 2;
	}
	if ((ent = entity_arg(c->argv[0])) == NULL)
		return 2;
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	if (outp != NULL && (out = fopen(outp, "w")) == NULL) {
		store_close(s);
		fprintf(stderr, "giapranh: không ghi được tệp %s\n", outp);
		return 1;
	}
	rc = strcmp(fmt, "csv") == 0 ? csv_export(s, ent, out, &e)
	    : json_export(s, ent, out, &e);
	if (out != stdout && fclose(out) != 0 && rc == 0)
		rc = err_set(&e, ERR_IO, "không ghi được tệp %s", outp);
	store_close(s);
	return rc != 0 ? fail(&e) : 0;
}

/* ---- values: DHIS2 dataValueSets and ADX (docs/EXCHANGE.md) ---------------- */

static int
values_export(struct cli *c, enum dhis2_format f)
{
	const char *outp = take_opt(c, "-o", 0);
	struct dhis2_query q;
	struct err e = { 0 };
	struct store *s;
	struct buf out;
	char now[CLOCK_TIMESTAMP_LEN];
	json_t *values;
	FILE *fo;
	int rc;

	memset(&q, 0, sizeof(q));
	q.format = f;
	q.data_set = take_opt(c, "--data-set", 0);
	q.period = take_opt(c, "--period", 0);
	q.org_unit = take_opt(c, "--org-unit", 0);
	q.children = take_opt(c, "--children", 1) != NULL;
	q.id_scheme = take_opt(c, "--id-scheme", 0);
	if (c->argc != 0 || q.data_set == NULL || q.period == NULL || q.org_unit == NULL) {
		fprintf(stderr, "cách dùng: %s\n", find_command("values")->usage);
		return 2;
	}
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	values = dhis2_export(s, NULL, &q, &e);
	store_close(s);
	if (values == NULL)
		return fail(&e);
	clock_timestamp(now);
	buf_init(&out, (size_t)1 << 30);
	rc = dhis2_write(f, values, now, &out, &e);
	json_decref(values);
	if (rc != 0) {
		buf_free(&out);
		return fail(&e);
	}
	fo = outp ? fopen(outp, "wb") : stdout;
	if (fo == NULL || fwrite(out.data, 1, out.len, fo) != out.len ||
	    (outp && fclose(fo) != 0)) {
		fprintf(stderr, "giapranh: không ghi được %s\n", outp ? outp : "stdout");
		buf_free(&out);
		return 1;
	}
	buf_free(&out);
	return 0;
}

static int
values_import(struct cli *c, enum dhis2_format f)
{
	struct dhis2_import_opts o;
	const char *as = take_opt(c, "--as", 0);
	struct actor who = { .name = "cli" };
	struct err e = { 0 };
	struct store *s;
	struct user u;
	json_t *summary;
	char *data, *text;
	size_t len;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = f;
	o.data_set = take_opt(c, "--data-set", 0);
	o.dry_run = take_opt(c, "--dry-run", 1) != NULL;
	o.strategy = take_opt(c, "--strategy", 0);
	o.id_scheme = take_opt(c, "--id-scheme", 0);
	o.first_row_is_header = take_opt(c, "--no-header", 1) == NULL;
	if (c->argc != 1) {
		fprintf(stderr, "cách dùng: %s\n", find_command("values")->usage);
		return 2;
	}
	if ((data = read_file(c->argv[0], IMPORT_FILE_MAX, &len, &e)) == NULL)
		return fail(&e);
	if (open_store(c, &s, &e) != 0) {
		free(data);
		return fail(&e);
	}
	/* as a user: their grants and the workflow's approvers' moves, as
	 * over HTTP; else the command line's system actor */
	if (as != NULL) {
		if (auth_user_by_login(s, as, &u, &e) != 0) {
			free(data);
			store_close(s);
			return fail(&e);
		}
		who = (struct actor){ u.id, u.login, api_may_write, &u, auth_is_approver(&u),
		    auth_has_clearance(&u), false };
	}
	summary = dhis2_import(s, data, len, &o, &who, &e);
	free(data);
	store_close(s);
	if (summary == NULL) {
		err_prefix(&e, "%s: ", c->argv[0]);
		return fail(&e);
	}
	text = json_dumps(summary, JSON_INDENT(2));
	printf("%s\n", text ? text : "");
	free(text);
	/* conflicts make the command fail: a script sees what was refused */
	rc = json_array_size(json_object_get(summary, DK_CONFLICTS)) > 0 ? 1 : 0;
	json_decref(summary);
	return rc;
}

static int
cmd_values(struct cli *c)
{
	const char *fmt = take_opt(c, "--format", 0);
	enum dhis2_format f;

	if (fmt == NULL)
		fmt = "dhis2-json";
	if (c->argc < 1 || dhis2_format_by_name(fmt, &f) != 0 ||
	    (strcmp(c->argv[0], "export") != 0 && strcmp(c->argv[0], "import") != 0)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("values")->usage);
		return 2;
	}
	c->argv++;
	c->argc--;
	return strcmp(c->argv[-1], "export") == 0 ? values_export(c, f) :
	    values_import(c, f);
}

/* ---- stats, entities ------------------------------------------------------ */

static int
cmd_stats(struct cli *c)
{
	int as_json = take_opt(c, "--json", 1) != NULL;
	struct err e = { 0 };
	struct store *s;
	json_t *out, *ents, *units;
	size_t i;
	int64_t n;

	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	out = json_object();
	ents = json_object();
	for (i = 0; i < registry_count; i++) {
		if (store_count(s, registry[i], &n, &e) != 0) {
			json_decref(out);
			json_decref(ents);
			store_close(s);
			return fail(&e);
		}
		json_object_set_new(ents, registry[i]->name, json_integer(n));
	}
	units = json_object();
	{
		json_t *p24 = store_units_on_date(s, REORG_LAST_DATE, 1, 0, &e);
		json_t *p25 = store_units_on_date(s, REORG_DATE, 1, 0, &e);
		json_object_set_new(units, "provinces_2024", json_integer(
		    (json_int_t)json_array_size(p24)));
		json_object_set_new(units, "provinces_2025", json_integer(
		    (json_int_t)json_array_size(p25)));
		json_decref(p24);
		json_decref(p25);
	}
	json_object_set_new(out, "engine", json_string(store_engine(s)));
	json_object_set_new(out, "entities", ents);
	json_object_set_new(out, "admin_units", units);
	store_close(s);
	if (as_json) {
		json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
	} else {
		const char *k;
		json_t *v;
		printf("%-24s %10s\n", "loại bản ghi", "số lượng");
		json_object_foreach(ents, k, v)
			printf("%-24s %10lld\n", k, (long long)json_integer_value(v));
	}
	json_decref(out);
	err_clear(&e);
	return 0;
}

/* The registry as JSON: what the tests derive their tables from (every
 * entity with its write rule, every field with its type, flags, structured
 * format and range). */
static int
print_entities_json(void)
{
	json_t *out = json_array();
	size_t i, j;

	for (i = 0; out != NULL && i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *fields = json_array();
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			/* "system": not accepted from input; "secret": never
			 * answered (write-only when not system) */
			json_array_append_new(fields, json_pack("{s:s, s:s, s:s, s:s?, "
			    "s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s?, s:f, s:f, s:b}", "name", f->name,
			    "type", field_type_name(f->type), "label", f->label, "arg", f->arg,
			    "required", (f->flags & F_REQUIRED) != 0, "scope",
			    (f->flags & F_SCOPE) != 0, "owner", (f->flags & F_OWNER) != 0,
			    "system", (f->flags & F_SYSTEM) != 0,
			    "secret", (f->flags & F_SECRET) != 0, "unique",
			    (f->flags & F_UNIQUE) != 0, "write_rule_field",
			    write_rule_field(ent, f), "format", field_format_name(f),
			    "min", f->min, "max", f->max,
			    "sourced", (f->flags & F_SOURCED) != 0));
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:s?, s:b, s:b, s:b, "
		    "s:b, s:o}", "name", ent->name, "label", ent->label, "write_rule",
		    write_rule_name(ent->write), "readonly", (ent->flags & E_READONLY) != 0,
		    "admin_only", (ent->flags & E_ADMIN) != 0, "reference",
		    (ent->flags & E_REFERENCE) != 0, "unique", ent->unique_sql != NULL,
		    "fields", fields));
	}
	if (out == NULL || json_dumpf(out, stdout, JSON_INDENT(1)) != 0) {
		json_decref(out);
		fprintf(stderr, "giapranh: %s\n", ERR_NO_MEMORY_MSG);
		return 1;
	}
	fputc('\n', stdout);
	json_decref(out);
	return 0;
}

static int
cmd_entities(struct cli *c)
{
	size_t i, j;

	if (take_opt(c, "--json", 1) != NULL)
		return print_entities_json();
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		printf("%s — %s (ghi: %s)\n", ent->name, ent->label,
		    write_rule_name(ent->write) ? write_rule_name(ent->write) : "?");
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			printf("    %-24s %-9s %s%s%s%s%s%s\n", f->name, field_type_name(f->type),
			    f->label, (f->flags & F_REQUIRED) ? " (bắt buộc)" : "",
			    f->arg ? " → " : "", f->arg && f->type != FT_ENUM ? f->arg : "",
			    field_format_name(f) ? ", dạng " : "",
			    field_format_name(f) ? field_format_name(f) : "");
		}
	}
	return 0;
}

static int
cmd_schema_sql(struct cli *c)
{
	const char *engine = take_opt(c, "--engine", 0);
	char *sql = store_schema_sql(engine ? engine : "sqlite");

	if (sql == NULL)
		return 1;
	fputs(sql, stdout);
	free(sql);
	return 0;
}

/* ---- units ---------------------------------------------------------------- */

static void
print_units(const json_t *rows)
{
	size_t i;
	json_t *u;

	json_array_foreach(rows, i, u)
		printf("%-6s %-40s %s–%s\n",
		    jrec_str(u, FLD_ADMIN_UNIT_CODE),
		    jrec_str(u, FLD_ADMIN_UNIT_NAME),
		    jrec_str(u, FLD_ADMIN_UNIT_VALID_FROM) ?: "",
		    jrec_str(u, FLD_ADMIN_UNIT_VALID_TO) ?: "");
}

/* --date as people type it: 31/12/2025 as well as 2025-12-31; the ISO
 * form in iso, or NULL with the reason said (text.h: vi_date_input). */
static const char *
cli_date(const char *in, char iso[VI_DATE_ISO_MAX])
{
	char why[160];

	if (vi_date_input(in, iso, why, sizeof(why)) != 0) {
		fprintf(stderr, "giapranh: --date '%s': %s\n", in, why);
		return NULL;
	}
	return iso;
}

static int
cmd_unit(struct cli *c)
{
	const char *date = take_opt(c, "--date", 0);
	char date_iso[VI_DATE_ISO_MAX];
	struct err e = { 0 };
	struct store *s;
	json_t *rows = NULL;
	const char *what;
	int64_t id;

	if (c->argc != 2) {
		fprintf(stderr, "cách dùng: %s\n", find_command("unit")->usage);
		return 2;
	}
	what = c->argv[0];
	if (date != NULL && (date = cli_date(date, date_iso)) == NULL)
		return 2;
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	if (store_unit_by_code(s, c->argv[1], date, &id, &e) != 0)
		goto fail;
	if (strcmp(what, "show") == 0) {
		json_t *u = store_get(s, entity_of(ENT_ADMIN_UNIT), id, &e);
		if (u == NULL)
			goto fail;
		json_dumpf(u, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		fputc('\n', stdout);
		json_decref(u);
	} else if (strcmp(what, "children") == 0) {
		rows = store_unit_children(s, id, &e);
	} else if (strcmp(what, "ancestors") == 0) {
		rows = store_unit_ancestors(s, id, &e);
	} else if (strcmp(what, "successors") == 0) {
		rows = store_unit_successors(s, id, &e);
	} else if (strcmp(what, "predecessors") == 0) {
		rows = store_unit_predecessors(s, id, &e);
	} else {
		fprintf(stderr, "cách dùng: %s\n", find_command("unit")->usage);
		store_close(s);
		return 2;
	}
	if (strcmp(what, "show") != 0 && rows == NULL)
		goto fail;
	print_units(rows);
	json_decref(rows);
	store_close(s);
	return 0;
fail:
	store_close(s);
	return fail(&e);
}

/* ---- parse (text tools) ----------------------------------------------------- */

static int
cmd_parse(struct cli *c)
{
	const char *kind, *text;
	json_t *out = NULL;
	char err[ERR_MSG_MAX];

	if (c->argc != 2) {
		fprintf(stderr, "cách dùng: %s\n", find_command("parse")->usage);
		return 2;
	}
	kind = c->argv[0];
	text = c->argv[1];
	if (strcmp(kind, "docnum") == 0) {
		struct doc_number d;
		char canon[128];
		if (doc_number_parse(text, &d, err, sizeof(err)) != 0) {
			fprintf(stderr, "giapranh: %s\n", err);
			return 1;
		}
		doc_number_format(&d, canon, sizeof(canon));
		out = json_pack("{s:I, s:i, s:s, s:s?, s:s, s:s, s:b}", "number",
		    (json_int_t)d.number, "year", d.year, "kind", d.kind,
		    "kind_name", doc_kind_name(d.kind), "issuer", d.issuer,
		    "canonical", canon, "party_style", d.party_style);
	} else if (strcmp(kind, "quantity") == 0) {
		struct vi_quantity q;
		static const char *const kinds[] = { "number", "percent", "range",
			"fraction", "linked" };
		if (vi_parse_quantity(text, &q) != 0) {
			fprintf(stderr, "giapranh: không đọc được số liệu '%s'\n", text);
			return 1;
		}
		out = json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "kind", kinds[q.kind],
		    "value", q.value, "value2", q.value2, "qualifier", q.qualifier,
		    "unit", q.unit, "unit2", q.unit2);
	} else if (strcmp(kind, "date") == 0) {
		struct vi_date d;
		char iso[16] = "";
		if (vi_parse_date(text, 0, &d) != 0) {
			fprintf(stderr, "giapranh: không đọc được ngày '%s'\n", text);
			return 1;
		}
		vi_date_iso(&d, iso, sizeof(iso));
		out = json_pack("{s:i, s:i, s:i, s:s}", "year", d.year, "month",
		    d.month, "day", d.day, "iso", iso);
	} else if (strcmp(kind, "period") == 0) {
		struct vi_period p;
		char label[VI_PERIOD_LABEL_MAX];
		if (vi_parse_period(text, &p) != 0) {
			fprintf(stderr, "giapranh: không đọc được kỳ '%s' (dùng: %s)\n",
			    text, VI_PERIOD_FORMS);
			return 1;
		}
		vi_period_label(&p, label, sizeof(label));
		out = json_pack("{s:s, s:s, s:s, s:s}", "code", p.code, "start", p.start,
		    "end", p.end, "label", label);
	} else if (strcmp(kind, "fold") == 0) {
		char *f = text_fold(text);
		if (f == NULL) {
			fprintf(stderr, "giapranh: văn bản không phải UTF-8 hợp lệ\n");
			return 1;
		}
		out = json_pack("{s:s}", "folded", f);
		free(f);
	} else {
		fprintf(stderr, "cách dùng: %s\n", find_command("parse")->usage);
		return 2;
	}
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
	fputc('\n', stdout);
	json_decref(out);
	return 0;
}

/* ---- users, tokens, serve -------------------------------------------------- */

/* The password: first line of standard input (never an argument, which
 * other users could read in the process list). */
static int
read_password(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return n > 0 ? 0 : -1;
}

/* The reminders' address of a user (user add --email), written as the
 * system: an admin's change of the user record. */
static int
user_set_email(struct store *s, const char *login, const char *email,
    struct err *e)
{
	struct actor cli = { .name = "cli" };
	struct user u;
	json_t *in;
	int rc;

	if (!mail_address_ok(email))
		return err_set(e, ERR_INVALID, "--email: địa chỉ thư điện tử không hợp lệ: "
		    "'%.80s'", email);
	if (auth_user_by_login(s, login, &u, e) != 0)
		return -1;
	in = json_pack("{s:s}", field_name(FLD_APP_USER_EMAIL), email);
	rc = records_update(s, entity_of(ENT_APP_USER), u.id, in, 0, &cli, R_SYSTEM,
	    NULL, e);
	json_decref(in);
	return rc;
}

static int
cmd_user(struct cli *c)
{
	const char *login = take_opt(c, "--login", 0), *role = take_opt(c, "--role", 0);
	const char *unit = take_opt(c, "--unit", 0), *org = take_opt(c, "--org", 0);
	const char *name = take_opt(c, "--name", 0), *email = take_opt(c, "--email", 0);
	int security = take_opt(c, "--security", 1) != NULL;
	struct err e = { 0 };
	struct store *s;
	char password[256];
	int rc;

	if (c->argc != 1 || strcmp(c->argv[0], "add") != 0 || login == NULL ||
	    role == NULL) {
		fprintf(stderr, "cách dùng: %s\n", find_command("user")->usage);
		return 2;
	}
	if (strcmp(role, "viewer") != 0 && strcmp(role, "editor") != 0 &&
	    strcmp(role, "approver") != 0 && strcmp(role, "admin") != 0) {
		fprintf(stderr, "giapranh: --role phải là viewer, editor, approver hoặc admin\n");
		return 2;
	}
	if (read_password(password, sizeof(password)) != 0) {
		fprintf(stderr, "giapranh: hãy nhập mật khẩu ở dòng đầu của đầu vào chuẩn\n");
		return 2;
	}
	if (auth_init() != 0 || open_store(c, &s, &e) != 0)
		return fail(&e);
	rc = auth_user_add(s, login, name, password, role, unit,
	    org ? strtoll(org, NULL, 10) : 0, security, &e);
	memset(password, 0, sizeof(password));
	if (rc == 0 && email != NULL)
		rc = user_set_email(s, login, email, &e);
	store_close(s);
	if (rc != 0)
		return fail(&e);
	printf("Đã tạo người dùng %s (%s%s%s%s).\n", login, role,
	    unit ? ", đơn vị " : "", unit ? unit : "", security ? ", được xem tin mật" : "");
	return 0;
}

static int
cmd_token(struct cli *c)
{
	const char *login = take_opt(c, "--login", 0), *label = take_opt(c, "--label", 0);
	char token[AUTH_TOKEN_LEN + 1];
	struct err e = { 0 };
	struct store *s;
	int rc;

	if (c->argc != 1 || strcmp(c->argv[0], "create") != 0 || login == NULL) {
		fprintf(stderr, "cách dùng: %s\n", find_command("token")->usage);
		return 2;
	}
	if (auth_init() != 0 || open_store(c, &s, &e) != 0)
		return fail(&e);
	rc = auth_token_create(s, login, label ? label : "cli", token, sizeof(token), &e);
	store_close(s);
	if (rc != 0)
		return fail(&e);
	printf("%s\n", token);
	return 0;
}

/* A limit given as a whole number in [min, max] (an option, or a test's
 * environment variable); false, with a message, when it is not one. */
static bool
limit_opt(const char *name, const char *v, unsigned min, unsigned max,
    unsigned *out)
{
	int64_t n;

	if (v == NULL)
		return true;
	if (!text_int64(v, &n) || n < (int64_t)min || n > (int64_t)max) {
		fprintf(stderr, "giapranh: %s phải là số nguyên từ %u đến %u, không phải "
		    "'%s'\n", name, min, max, v);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* ---- remind ------------------------------------------------------------------- */

/* An option, else an environment variable. */
static const char *
opt_or_env(struct cli *c, const char *opt, const char *env)
{
	const char *v = take_opt(c, opt, 0);

	return v != NULL ? v : getenv(env);
}

static int
cmd_remind(struct cli *c)
{
	const char *date = take_opt(c, "--date", 0), *days_s = take_opt(c, "--days", 0);
	const char *login = take_opt(c, "--login", 0);
	int send = take_opt(c, "--send", 1) != NULL, rc = 0;
	struct remind_mail cfg = { 0 };
	struct remind_summary sum;
	struct err e = { 0 };
	char today[CLOCK_DATE_LEN];
	unsigned days = REMIND_DAYS_DEFAULT;
	struct store *s;
	struct buf log;

	cfg.smtp_url = opt_or_env(c, "--smtp-url", "GIAPRANH_SMTP_URL");
	cfg.from = opt_or_env(c, "--smtp-from", "GIAPRANH_SMTP_FROM");
	cfg.site_url = opt_or_env(c, "--site-url", "GIAPRANH_SITE_URL");
	cfg.from_name = "giapranh";
	cfg.only_login = login;
	if (c->argc != 0 || !limit_opt("--days", days_s, 0, REMIND_DAYS_MAX, &days)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("remind")->usage);
		return 2;
	}
	cfg.days = (int)days;
	if (date != NULL && !vi_iso_date_valid(date)) {
		fprintf(stderr, "giapranh: --date phải là ngày YYYY-MM-DD\n");
		return 2;
	}
	if (date != NULL)
		snprintf(today, sizeof(today), "%s", date);
	else
		clock_today(today);
	if (send && (cfg.smtp_url == NULL || cfg.from == NULL)) {
		fprintf(stderr, "giapranh: --send cần --smtp-url smtp://MÁY:CỔNG và "
		    "--smtp-from ĐỊA_CHỈ (hoặc GIAPRANH_SMTP_URL, GIAPRANH_SMTP_FROM)\n");
		return 2;
	}
	if (send && !mail_address_ok(cfg.from)) {
		fprintf(stderr, "giapranh: --smtp-from: địa chỉ không hợp lệ\n");
		return 2;
	}
	if (auth_init() != 0 || mail_global_init() != 0) {
		fprintf(stderr, "giapranh: không khởi động được thư viện mã hóa hoặc libcurl\n");
		return 1;
	}
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	if (!send) {
		/* what a run would mail, user by user: nothing is sent */
		json_t *all = remind_collect(s, today, cfg.days, &e), *users = NULL, *u;
		struct list_query q;
		size_t i, j;
		memset(&q, 0, sizeof(q));
		if (all != NULL)
			users = store_list_all(s, entity_of(ENT_APP_USER), &q, REMIND_ROWS_MAX, &e);
		json_array_foreach(users, i, u) {
			const char *l = jrec_str(u, FLD_APP_USER_LOGIN);
			struct user usr;
			size_t total = 0;
			json_t *items, *it;
			if (login != NULL && strcmp(login, l) != 0)
				continue;
			if (auth_user_by_login(s, l, &usr, &e) != 0 ||
			    (items = remind_for_user(s, all, &usr, &total, &e)) == NULL) {
				rc = -1;
				break;
			}
			printf("%s <%s>: %zu việc\n", l, jrec_str(u, FLD_APP_USER_EMAIL) ?
			    jrec_str(u, FLD_APP_USER_EMAIL) : "chưa có địa chỉ", total);
			json_array_foreach(items, j, it)
				printf("  %s %s  %s: %s\n", json_is_true(json_object_get(it,
				    "overdue")) ? "QUÁ HẠN" : "sắp đến",
				    json_string_value(json_object_get(it, "due_on")) ?: "–",
				    json_string_value(json_object_get(it, "category_label")),
				    json_string_value(json_object_get(it, "headline")) ?: "");
			json_decref(items);
		}
		if (all == NULL || users == NULL)
			rc = -1;
		json_decref(users);
		json_decref(all);
		store_close(s);
		return rc != 0 ? fail(&e) : 0;
	}
	buf_init(&log, 1u << 20);
	rc = remind_send_all(s, &cfg, today, &sum, &log, &e);
	fputs(buf_str(&log), stdout);
	buf_free(&log);
	store_close(s);
	if (rc != 0)
		return fail(&e);
	printf("Nhắc việc ngày %s: %ld người dùng có địa chỉ, gửi %ld thư, %ld đã gửi "
	    "trước đó, %ld không có việc, %ld địa chỉ sai, %ld gửi không được.\n", today,
	    sum.users, sum.sent, sum.already, sum.nothing, sum.bad_address, sum.failed);
	return sum.failed > 0 ? 1 : 0;
}

/* The options of `serve`, shared with `confine-check` so that both confine
 * the same way; -1 (said why) when one is not usable. */
static int
serve_options(struct cli *c, struct server_config *cfg)
{
	const char *threads = take_opt(c, "--threads", 0);
	const char *per_address = take_opt(c, "--connections-per-address", 0);
	const char *log_format = take_opt(c, "--log-format", 0);
	const char *lag_max = take_opt(c, "--replica-lag-max-ms", 0);
	const char *remind_days = take_opt(c, "--remind-days", 0);
	const char *remind_hour = take_opt(c, "--remind-hour", 0);
	unsigned deadline = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = take_opt(c, "--listen", 0);
	if (cfg->listen == NULL)
		cfg->listen = "127.0.0.1:8080";
	cfg->root = take_opt(c, "--root", 0);
	if (cfg->root == NULL)
		cfg->root = ".";
	cfg->quiet = take_opt(c, "--quiet", 1) != NULL;
	if (log_format != NULL && strcmp(log_format, "json") != 0 &&
	    strcmp(log_format, "text") != 0) {
		fprintf(stderr, "giapranh: --log-format nhận json hoặc text, không phải "
		    "'%s'\n", log_format);
		return -1;
	}
	cfg->log_json = log_format != NULL && strcmp(log_format, "json") == 0;
	cfg->run_as = take_opt(c, "--user", 0);
	cfg->no_confine = take_opt(c, "--no-confine", 1) != NULL;
	cfg->tls_cert = take_opt(c, "--tls-cert", 0);
	cfg->tls_key = take_opt(c, "--tls-key", 0);
	/* map tiles: off unless set (the map needs none offline) */
	cfg->tile_url = take_opt(c, "--tile-url", 0);
	if (cfg->tile_url == NULL)
		cfg->tile_url = getenv("GIAPRANH_TILE_URL");
	if (cfg->tile_url != NULL && cfg->tile_url[0] == '\0')
		cfg->tile_url = NULL;
	cfg->files_dir = take_opt(c, "--files", 0);
	/* the daily reminder digests (http/daily.h), mailed through a relay */
	cfg->smtp_url = opt_or_env(c, "--smtp-url", "GIAPRANH_SMTP_URL");
	cfg->smtp_from = opt_or_env(c, "--smtp-from", "GIAPRANH_SMTP_FROM");
	cfg->site_url = opt_or_env(c, "--site-url", "GIAPRANH_SITE_URL");
	cfg->remind_daily = take_opt(c, "--remind-daily", 1) != NULL;
	cfg->remind_days = REMIND_DAYS_DEFAULT;
	cfg->remind_hour = REMIND_HOUR_DEFAULT;
	if (!limit_opt("--remind-days", remind_days, 0, REMIND_DAYS_MAX, &cfg->remind_days) ||
	    !limit_opt("--remind-hour", remind_hour, 0, 23, &cfg->remind_hour))
		return -1;
	if (cfg->remind_daily && (cfg->smtp_url == NULL || cfg->smtp_from == NULL ||
	    !mail_address_ok(cfg->smtp_from))) {
		fprintf(stderr, "giapranh: --remind-daily cần --smtp-url smtp://MÁY:CỔNG và "
		    "--smtp-from ĐỊA_CHỈ hợp lệ\n");
		return -1;
	}
	if (cfg->files_dir == NULL)
		cfg->files_dir = getenv("GIAPRANH_FILES");
	if (cfg->files_dir == NULL)
		cfg->files_dir = "files";
	cfg->threads = threads ? (unsigned)strtoul(threads, NULL, 10) : 0;
	cfg->db_url = c->db ? c->db : STORE_DEFAULT_URL;
	/* --db-read once per standby: reads are spread over them */
	while ((cfg->db_read_url = take_opt(c, "--db-read", 0)) != NULL) {
		if (cfg->ndb_read == REPLICAS_MAX) {
			fprintf(stderr, "giapranh: nhiều nhất %u --db-read\n", REPLICAS_MAX);
			return -1;
		}
		cfg->db_read_urls[cfg->ndb_read++] = cfg->db_read_url;
	}
	if (cfg->ndb_read == 0 && getenv("GIAPRANH_DB_READ") != NULL)
		cfg->db_read_urls[cfg->ndb_read++] = getenv("GIAPRANH_DB_READ");
	cfg->db_read_url = cfg->ndb_read > 0 ? cfg->db_read_urls[0] : NULL;
	if (!limit_opt("--replica-lag-max-ms", lag_max, 1, 3600000,
	    &cfg->replica_lag_max_ms))
		return -1;
	/* the ports webhooks may be sent to under Landlock: --webhook-port,
	 * once per port, or GIAPRANH_WEBHOOK_PORTS="443,8443" */
	{
		const char *wp, *env = getenv("GIAPRANH_WEBHOOK_PORTS");
		unsigned port;
		while ((wp = take_opt(c, "--webhook-port", 0)) != NULL || (env != NULL &&
		    *env != '\0')) {
			char one[8];
			size_t n;
			port = 0;
			if (wp == NULL) {
				n = strcspn(env, ",");
				snprintf(one, sizeof(one), "%.*s", (int)(n < 7 ? n : 7), env);
				env += n + (env[n] == ',');
				wp = one;
			}
			if (cfg->nwebhook_ports == WEBHOOK_PORTS_MAX ||
			    !limit_opt("--webhook-port", wp, 1, 65535, &port) || port == 0) {
				fprintf(stderr, "giapranh: --webhook-port: một cổng TCP 1..65535, "
				    "nhiều nhất %d cổng\n", WEBHOOK_PORTS_MAX);
				return -1;
			}
			cfg->webhook_ports[cfg->nwebhook_ports++] = (unsigned short)port;
		}
	}
	cfg->connections_max = HTTP_CONNECTIONS_MAX;
	cfg->connections_per_address = HTTP_CONNECTIONS_PER_ADDRESS;
	cfg->header_deadline_s = HTTP_HEADER_DEADLINE_S;
	cfg->request_deadline_s = HTTP_REQUEST_DEADLINE_S;
	if (!limit_opt("--connections-per-address", per_address, 0,
	    HTTP_CONNECTIONS_MAX, &cfg->connections_per_address))
		return -1;
	/* for tests only (tests/e2e/test_resource_limits.py): lower limits,
	 * so that a few hundred sockets and a few seconds show them at work */
	if (!limit_opt("GIAPRANH_TEST_CONNECTIONS_MAX", getenv("GIAPRANH_TEST_CONNECTIONS_MAX"),
	    1, HTTP_CONNECTIONS_MAX, &cfg->connections_max) ||
	    !limit_opt("GIAPRANH_TEST_REQUEST_DEADLINE_S",
	    getenv("GIAPRANH_TEST_REQUEST_DEADLINE_S"), 1, HTTP_REQUEST_DEADLINE_S, &deadline))
		return -1;
	if (deadline > 0) {
		cfg->request_deadline_s = deadline;
		if (cfg->header_deadline_s > deadline)
			cfg->header_deadline_s = deadline;
	}
	return 0;
}

static int
cmd_serve(struct cli *c)
{
	struct server_config cfg;

	if (serve_options(c, &cfg) != 0)
		return 2;
	return server_run(&cfg);
}

/* Apply the confinement `serve` would apply, then try each probe: shows
 * what the server can and cannot reach (docs/SECURITY.md, and
 * tests/e2e/test_confine.py). */
static int
cmd_confine_check(struct cli *c)
{
	struct server_config cfg;
	struct err e = { 0 };
	const char *colon;
	int i, abi = 0;

	if (serve_options(c, &cfg) != 0)
		return 2;
	if (c->argc < 1) {
		fprintf(stderr, "cách dùng: %s\n", find_command("confine-check")->usage);
		return 2;
	}
	colon = strrchr(cfg.listen, ':');
	if (!cfg.no_confine &&
	    (abi = confine_server(&cfg, colon ? (uint16_t)strtoul(colon + 1, NULL, 10) : 0,
	    &e)) < 0)
		return fail(&e);
	printf("landlock: %s\n", cfg.no_confine ? "off (--no-confine)" :
	    abi > 0 ? "confined" : "not available");
	for (i = 0; i < c->argc; i++) {
		if (confine_probe(c->argv[i], stdout) == 2)
			return 2;
	}
	return 0;
}

static int
cmd_report(struct cli *c)
{
	const char *scope_s = take_opt(c, "--scope", 0), *period = take_opt(c, "--period", 0);
	const char *fmt = take_opt(c, "--format", 0), *outp = take_opt(c, "-o", 0);
	const char *rid = take_opt(c, "--report", 0), *type, *ext;
	int stats = take_opt(c, "--stats", 1) != NULL;
	int (*render)(const json_t *, struct buf *, struct err *);
	struct store_stats st;
	struct report_scope scope;
	struct err e = { 0 };
	struct store *s;
	struct buf out;
	json_t *doc;
	FILE *f;
	int rc = 0;

	if (fmt == NULL)
		fmt = "docx";
	if (scope_s == NULL || c->argc != 0 || (strcmp(fmt, "json") != 0 &&
	    report_format_find(fmt, &type, &ext, &render) != 0)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("report")->usage);
		return 2;
	}
	if (open_store(c, &s, &e) != 0)
		return fail(&e);
	if (report_scope_parse(s, scope_s, &scope, &e) != 0) {
		store_close(s);
		return fail(&e);
	}
	/* the build's own crossings into the store, not the scope's parse */
	store_stats_reset(s);
	doc = report_build(s, &scope, period, rid ? strtoll(rid, NULL, 10) : 0, true, &e);
	store_stats_get(s, &st);
	if (stats)
		fprintf(stderr, "store: %llu câu lệnh, %llu dòng\n", st.statements, st.rows);
	if (doc == NULL) {
		store_close(s);
		return fail(&e);
	}
	store_close(s);
	buf_init(&out, (size_t)1 << 30);
	if (strcmp(fmt, "json") == 0) {
		char *j = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		buf_adds(&out, j ? j : "");
		buf_addc(&out, '\n');
		free(j);
	} else {
		rc = render(doc, &out, &e);
	}
	json_decref(doc);
	if (rc != 0) {
		buf_free(&out);
		return fail(&e);
	}
	f = outp ? fopen(outp, "wb") : stdout;
	if (f == NULL || fwrite(out.data, 1, out.len, f) != out.len ||
	    (outp && fclose(f) != 0)) {
		fprintf(stderr, "giapranh: không ghi được %s\n", outp ? outp : "stdout");
		buf_free(&out);
		return 1;
	}
	if (outp)
		fprintf(stderr, "Đã ghi báo cáo %s (%zu byte).\n", outp, out.len);
	buf_free(&out);
	return 0;
}

/* ---- ingest (issue 9) -------------------------------------------------------- */

/* The whole file, at most max bytes; NULL with a message. */
static unsigned char *
read_input(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL, *grown;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL) {
		fprintf(stderr, "giapranh: không mở được tệp %s\n", path);
		return NULL;
	}
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if ((grown = realloc(data, cap)) == NULL)
				break;
			data = grown;
		}
		n = fread(data + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0 || *len > max)
			break;
	}
	if (ferror(f) || *len > max || data == NULL) {
		fprintf(stderr, "giapranh: %s: %s\n", path, *len > max ?
		    "tệp quá lớn" : "không đọc được tệp");
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	return data;
}

/* --dry-run writes nothing, not even a new empty database file: a SQLite
 * database that does not exist yet is not opened (no gazetteers then). */
static bool
db_exists(const char *url)
{
	const char *path = url ? url : STORE_DEFAULT_URL;
	FILE *f;

	if (strncmp(path, "postgres", 8) == 0)
		return true;
	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	if ((f = fopen(path, "rb")) == NULL)
		return false;
	fclose(f);
	return true;
}

static void
print_accept_result(const json_t *res)
{
	json_t *c;
	size_t i;

	printf("Đã chấp nhận %lld đề xuất, từ chối %lld; đã tạo %zu bản ghi:\n",
	    (long long)json_integer_value(json_object_get(res, "accepted")),
	    (long long)json_integer_value(json_object_get(res, "rejected")),
	    json_array_size(json_object_get(res, "created")));
	json_array_foreach(json_object_get(res, "created"), i, c)
		printf("  %-6s %-20s %6lld  %s\n",
		    json_string_value(json_object_get(c, "proposal")) ?: "",
		    json_string_value(json_object_get(c, ACC_ENTITY)),
		    (long long)json_integer_value(json_object_get(c, "id")),
		    json_string_value(json_object_get(c, ACC_TITLE)) ?: "");
	if (json_array_size(json_object_get(res, "failed")) > 0)
		printf("Không ghi được %zu đề xuất (các đề xuất khác vẫn được ghi):\n",
		    json_array_size(json_object_get(res, "failed")));
	json_array_foreach(json_object_get(res, "failed"), i, c)
		printf("  %-6s %s: %s\n", json_string_value(json_object_get(c, "proposal")) ?: "",
		    ingest_kind_label(json_string_value(json_object_get(c, ACC_KIND))),
		    json_string_value(json_object_get(c, ACC_REASON)) ?: "");
	if (json_array_size(json_object_get(res, "notes")) > 0)
		printf("Cần kiểm tra (đã tự bổ sung khi ghi):\n");
	json_array_foreach(json_object_get(res, "notes"), i, c)
		printf("  %-6s %s\n", json_string_value(json_object_get(c, "proposal")) ?: "",
		    json_string_value(json_object_get(c, ACC_NOTE)) ?: "");
	json_array_foreach(json_object_get(res, "scopes"), i, c)
		printf("Báo cáo: giapranh report --scope %s\n", json_string_value(c));
}

static int
cmd_ingest(struct cli *c)
{
	const char *date = take_opt(c, "--date", 0), *fmt = take_opt(c, "--format", 0);
	char date_iso[VI_DATE_ISO_MAX];
	const char *accept = take_opt(c, "--accept", 0), *as = take_opt(c, "--as", 0);
	const char *files = take_opt(c, "--files", 0), *path, *base;
	const char *given = take_opt(c, "--proposals", 0);
	int dry = take_opt(c, "--dry-run", 1) != NULL, rc = 1;
	struct ingest_options opt = { 0 };
	struct store *s = NULL;
	struct err e = { 0 };
	struct user u;
	struct actor who = { .name = "cli" };
	unsigned char *data;
	char *text = NULL;
	size_t len, tlen = 0;
	json_t *set = NULL, *dec = NULL, *res = NULL;
	int64_t batch = 0, doc = 0;

	if (fmt == NULL)
		fmt = "text";
	if (c->argc != 1 || (strcmp(fmt, "json") != 0 && strcmp(fmt, "text") != 0) ||
	    (dry && accept != NULL)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("ingest")->usage);
		return 2;
	}
	if (date != NULL && (date = cli_date(date, date_iso)) == NULL)
		return 2;
	path = c->argv[0];
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if ((data = read_input(path, INGEST_FILE_MAX, &len)) == NULL)
		return 1;
	if (ingest_plain_text(base, data, len, &text, &tlen, &e) != 0) {
		err_prefix(&e, "%s: ", path);
		goto fail;
	}
	if ((!dry || db_exists(c->db)) && open_store(c, &s, &e) != 0)
		goto fail;
	opt.source_name = base;
	opt.publication_date = date;
	if (given != NULL) {
		/* a proposal set checked or edited by hand, for this text */
		json_error_t je;
		if ((set = json_load_file(given, 0, &je)) == NULL ||
		    !json_is_array(json_object_get(set, PSET_PROPOSALS))) {
			err_set(&e, ERR_BAD_REQUEST, "%s:%d: không phải tập đề xuất JSON "
			    "(docs/INGEST.md)%s%s", given, je.line, set ? "" : ": ",
			    set ? "" : je.text);
			goto fail;
		}
	} else if (ingest_extract(s, text, tlen, &opt, &set, &e) != 0) {
		err_prefix(&e, "%s: ", path);
		goto fail;
	}
	if (dry) {
		if (strcmp(fmt, "json") == 0) {
			json_dumpf(set, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
			fputc('\n', stdout);
		} else {
			char *t = ingest_proposals_text(set);
			fputs(t ? t : "", stdout);
			free(t);
		}
		rc = 0;
		goto done;
	}
	if (as != NULL) {
		if (auth_user_by_login(s, as, &u, &e) != 0)
			goto fail;
		who = (struct actor){ u.id, u.login, api_may_write, &u, auth_is_approver(&u),
		    auth_has_clearance(&u), false };
	}
	if (files == NULL)
		files = getenv("GIAPRANH_FILES");
	attach_set_dir(files ? files : "files");
	if (ingest_batch_save(s, base, data, len, text, tlen, set, &who, &batch, &doc,
	    &e) != 0)
		goto fail;
	if (accept == NULL) {
		if (strcmp(fmt, "json") == 0)
			printf("{\"batch_id\": %lld, \"document_id\": %lld, \"proposals\": %zu}\n",
			    (long long)batch, (long long)doc,
			    json_array_size(json_object_get(set, PSET_PROPOSALS)));
		else
			printf("Lô nhập số %lld: %zu đề xuất, chờ duyệt (văn bản nguồn số %lld).\n",
			    (long long)batch, json_array_size(json_object_get(set, PSET_PROPOSALS)),
			    (long long)doc);
		rc = 0;
		goto done;
	}
	dec = ingest_decisions_from_list(set, accept);
	if (ingest_batch_accept(s, batch, dec, &who, &res, &e) != 0) {
		err_prefix(&e, "lô nhập %lld (vẫn chờ duyệt): ", (long long)batch);
		goto fail;
	}
	if (strcmp(fmt, "json") == 0) {
		json_dumpf(res, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		printf("Lô nhập số %lld (văn bản nguồn số %lld).\n", (long long)batch,
		    (long long)doc);
		print_accept_result(res);
	}
	rc = 0;
	goto done;
fail:
	rc = fail(&e);
done:
	json_decref(res);
	json_decref(dec);
	json_decref(set);
	free(text);
	free(data);
	store_close(s);
	return rc;
}

/* ---- units reorganise ------------------------------------------------------- */

static void
print_reorg(const json_t *out, const char *path)
{
	const json_t *a, *o;
	size_t i;

	a = json_object_get(out, "units");
	if (json_array_size(a) > 0)
		printf("Đơn vị mới (%zu):\n", json_array_size(a));
	json_array_foreach(a, i, o)
		printf("  dòng %lld: %s %s, cấp %lld, thuộc %s (%s), hiệu lực từ %s\n",
		    (long long)json_integer_value(json_object_get(o, "line")),
		    jrec_str(o, FLD_ADMIN_UNIT_CODE), jrec_str(o, FLD_ADMIN_UNIT_NAME),
		    (long long)json_integer_value(jrec_get(o, FLD_ADMIN_UNIT_LEVEL)),
		    json_string_value(json_object_get(o, "parent_code")) ?: "-",
		    json_string_value(json_object_get(o, "parent_name")) ?: "-",
		    jrec_str(o, FLD_ADMIN_UNIT_VALID_FROM));
	a = json_object_get(out, "ended");
	if (json_array_size(a) > 0)
		printf("Đơn vị chấm dứt (%zu):\n", json_array_size(a));
	json_array_foreach(a, i, o)
		printf("  %s %s: hiệu lực đến %s\n", jrec_str(o, FLD_ADMIN_UNIT_CODE),
		    jrec_str(o, FLD_ADMIN_UNIT_NAME), jrec_str(o, FLD_ADMIN_UNIT_VALID_TO));
	a = json_object_get(out, "lineage");
	if (json_array_size(a) > 0)
		printf("Quan hệ sắp xếp (%zu):\n", json_array_size(a));
	json_array_foreach(a, i, o)
		printf("  dòng %lld: %s %s -> %s %s (%s, từ %s; %s)\n",
		    (long long)json_integer_value(json_object_get(o, "line")),
		    json_string_value(json_object_get(o, "predecessor_code")),
		    json_string_value(json_object_get(o, "predecessor_name")) ?: "?",
		    jrec_str(o, FLD_ADMIN_UNIT_CODE),
		    json_string_value(json_object_get(o, "successor_name")) ?: "?",
		    jrec_str(o, FLD_UNIT_LINEAGE_KIND),
		    jrec_str(o, FLD_UNIT_LINEAGE_EFFECTIVE_ON),
		    jrec_str(o, FLD_UNIT_LINEAGE_LEGAL_BASIS));
	json_array_foreach(json_object_get(out, "errors"), i, o) {
		const char *col = json_string_value(json_object_get(o, "column"));
		fprintf(stderr, "%s:%lld: %s%s%s%s%s%s\n", path,
		    (long long)json_integer_value(json_object_get(o, "line")),
		    col ? "cột '" : "", col ? col : "", col ? "' (" : "",
		    col ? reorg_column_label(col) : "", col ? "): " : "",
		    json_string_value(json_object_get(o, "message")));
	}
}

static int
cmd_units(struct cli *c)
{
	const char *as = take_opt(c, "--as", 0), *fmt = take_opt(c, "--format", 0);
	int apply = take_opt(c, "--apply", 1) != NULL, rc;
	struct actor who = { .name = "cli" };
	struct reorg_result res = { NULL };
	struct err e = { 0 };
	struct store *s;
	struct user u;
	unsigned char *data;
	size_t len;

	if (fmt == NULL)
		fmt = "text";
	if (c->argc != 2 || strcmp(c->argv[0], "reorganise") != 0 ||
	    (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)) {
		fprintf(stderr, "cách dùng: %s\n", find_command("units")->usage);
		return 2;
	}
	if ((data = read_input(c->argv[1], REORG_FILE_MAX, &len)) == NULL)
		return 1;
	if (open_store(c, &s, &e) != 0) {
		free(data);
		return fail(&e);
	}
	if (as != NULL) {
		if (auth_user_by_login(s, as, &u, &e) != 0) {
			free(data);
			store_close(s);
			return fail(&e);
		}
		who = (struct actor){ u.id, u.login, api_may_write, &u, auth_is_approver(&u),
		    auth_has_clearance(&u), false };
	}
	rc = reorg_run(s, (const char *)data, len, apply, &who, &res, &e);
	free(data);
	store_close(s);
	if (strcmp(fmt, "json") == 0 && res.out != NULL) {
		json_dumpf(res.out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else if (res.out != NULL) {
		print_reorg(res.out, c->argv[1]);
	}
	reorg_result_free(&res);
	if (rc != 0)
		return fail(&e);
	if (strcmp(fmt, "text") == 0)
		printf(apply ? "Đã sắp xếp đơn vị theo tệp %s.\n" : "Xem trước: chưa ghi gì; "
		    "chạy lại với --apply để ghi tệp %s.\n", c->argv[1]);
	return 0;
}

/* ---- copy-db --------------------------------------------------------------- */

static int
cmd_copy_db(struct cli *c)
{
	const char *from = take_opt(c, "--from", 0), *to = take_opt(c, "--to", 0);
	struct store *src = NULL, *dst = NULL;
	struct err e = { 0 };
	json_t *checks = NULL, *row;
	size_t i, bad = 0;

	if (from == NULL || to == NULL || c->argc != 0) {
		fprintf(stderr, "cách dùng: %s\n", find_command("copy-db")->usage);
		return 2;
	}
	if (strcmp(from, to) == 0) {
		fprintf(stderr, "giapranh: nguồn và đích là cùng một cơ sở dữ liệu\n");
		return 2;
	}
	if (store_open(from, &src, &e) != 0 || store_open(to, &dst, &e) != 0 ||
	    store_copy_prepare(src, dst, &e) != 0)
		goto fail;
	fprintf(stderr, "Chép %s → %s:\n", store_engine(src), store_engine(dst));
	if (store_copy(src, dst, stderr, &e) != 0 ||
	    (checks = store_copy_verify(src, dst, &e)) == NULL)
		goto fail;
	printf("%-26s %10s %10s  %s\n", "bảng", "dòng nguồn", "dòng đích", "nội dung");
	json_array_foreach(checks, i, row) {
		int same = json_is_true(json_object_get(row, "same"));
		printf("%-26s %10lld %10lld  %s\n",
		    json_string_value(json_object_get(row, "table")),
		    (long long)json_integer_value(json_object_get(row, "rows_from")),
		    (long long)json_integer_value(json_object_get(row, "rows_to")),
		    same ? "khớp" : "KHÁC");
		bad += !same;
	}
	if (bad > 0) {
		fprintf(stderr, "giapranh: dữ liệu ở đích khác nguồn (số dòng hoặc tổng "
		    "kiểm SHA-256) ở %zu bảng:", bad);
		json_array_foreach(checks, i, row)
			if (!json_is_true(json_object_get(row, "same")))
				fprintf(stderr, " %s", json_string_value(json_object_get(row, "table")));
		fprintf(stderr, "\n");
	} else {
		printf("Đã chép và kiểm tra xong: mọi bảng khớp.\n");
	}
	json_decref(checks);
	store_close(src);
	store_close(dst);
	return bad > 0 ? 1 : 0;
fail:
	store_close(src);
	store_close(dst);
	return fail(&e);
}

/* ---- backup, restore, routes ------------------------------------------------ */

static int
cmd_backup(struct cli *c)
{
	const char *to = take_opt(c, "--to", 0), *from = take_opt(c, "--from", 0);
	int force = take_opt(c, "--force", 1) != NULL, restore = to == NULL;
	struct err e = { 0 };

	if ((to == NULL) == (from == NULL) || c->argc != 0) {
		fprintf(stderr, "cách dùng: %s\n%s\n", find_command("backup")->usage,
		    find_command("restore")->usage);
		return 2;
	}
	if (restore ? store_restore(c->db, from, force, &e) != 0
	    : store_backup(c->db, to, &e) != 0)
		return fail(&e);
	fprintf(stderr, restore ? "Đã khôi phục từ %s.\n" : "Đã sao lưu vào %s.\n",
	    restore ? from : to);
	return 0;
}

static int
cmd_routes(struct cli *c)
{
	return take_opt(c, "--json", 1) != NULL ? server_print_routes(stdout) : 2;
}

/* The API's OpenAPI 3.1 document (what GET /api/v1/openapi.json answers),
 * for the linter of make test and for clients built offline. */
static int
cmd_openapi(struct cli *c)
{
	json_t *doc = openapi_document();
	int rc;

	(void)c;
	if (doc == NULL) {
		fprintf(stderr, "giapranh: hết bộ nhớ khi dựng tài liệu OpenAPI\n");
		return 1;
	}
	rc = json_dumpf(doc, stdout, JSON_INDENT(1)) != 0 || fputc('\n', stdout) == EOF;
	json_decref(doc);
	return rc;
}

static int
cmd_assets(struct cli *c)
{
	(void)c;
	return server_print_assets(stdout);
}

/* ---- dispatch ------------------------------------------------------------- */

static int cmd_help(struct cli *c);

static const struct command commands[] = {
	{ "init", "giapranh [--db URL] init [--demo] [--data DIR]",
	  "tạo/cập nhật cơ sở dữ liệu, nạp đơn vị hành chính (và dữ liệu mẫu)",
	  cmd_init },
	{ "import", "giapranh [--db URL] import ENTITY FILE.csv [--skip-invalid]",
	  "nhập bản ghi từ CSV (dòng đầu là tên trường); lỗi một dòng thì không nhập gì",
	  cmd_import },
	{ "export", "giapranh [--db URL] export ENTITY [--format csv|json] [-o FILE]",
	  "xuất mọi bản ghi của một loại", cmd_export },
	{ "values", "giapranh [--db URL] values export --format dhis2-json|dhis2-csv|adx "
	  "--data-set ID --period 2023|2023S1|2023Q4|202312 --org-unit ID [--children] "
	  "[--id-scheme uid|code] [-o FILE]\n"
	  "       giapranh [--db URL] values import --format dhis2-json|dhis2-csv|adx FILE "
	  "[--data-set ID] [--dry-run] [--strategy CREATE|UPDATE|CREATE_AND_UPDATE|DELETE] "
	  "[--id-scheme uid|code] [--no-header] [--as LOGIN]",
	  "xuất/nhập số liệu chỉ tiêu dạng dataValueSets của DHIS2 (JSON, CSV) hoặc ADX "
	  "(docs/EXCHANGE.md)", cmd_values },
	{ "stats", "giapranh [--db URL] stats [--json]",
	  "số bản ghi của từng loại", cmd_stats },
	{ "entities", "giapranh entities [--json]",
	  "danh sách loại bản ghi và trường", cmd_entities },
	{ "unit", "giapranh [--db URL] unit show|children|ancestors|successors|"
	  "predecessors CODE [--date YYYY-MM-DD]",
	  "tra cứu đơn vị hành chính theo ngày và quan hệ sắp xếp 2025", cmd_unit },
	{ "units", "giapranh [--db URL] units reorganise FILE.csv [--apply] [--as LOGIN] "
	  "[--format text|json]",
	  "sắp xếp đơn vị hành chính (nhập, chia tách, đổi tên) theo tệp CSV: xem "
	  "trước, --apply để ghi (docs/UNITS.md)", cmd_units },
	{ "parse", "giapranh parse docnum|quantity|date|period|fold TEXT",
	  "đọc số ký hiệu văn bản, số liệu, ngày, kỳ báo cáo như viết trong báo cáo",
	  cmd_parse },
	{ "serve", "giapranh [--db URL] serve [--listen 127.0.0.1:8080] [--threads N] "
	  "[--db-read URL]... [--replica-lag-max-ms N] [--root DIR] [--files DIR] [--tile-url URL] [--tls-cert FILE --tls-key FILE] [--user NAME] [--no-confine] "
	  "[--connections-per-address N] [--webhook-port N]... [--quiet] [--log-format text|json] "
	  "[--remind-daily --smtp-url smtp://MÁY:CỔNG --smtp-from ĐỊA_CHỈ [--remind-days N] "
	  "[--remind-hour GIỜ] [--site-url URL]]",
	  "chạy máy chủ web (giao diện và API JSON)", cmd_serve },
	{ "confine-check", "giapranh [--db URL] confine-check [tham số của serve] "
	  "read:PATH|write:PATH|create:DIR|exec:PATH|tcp:PORT ...",
	  "giới hạn tiến trình như serve (Landlock) rồi thử từng truy cập: in "
	  "allowed/denied", cmd_confine_check },
	{ "user", "giapranh [--db URL] user add --login L --role viewer|editor|approver|admin "
	  "[--unit CODE | --org ID] [--security] [--name \"Họ tên\"] [--email ĐỊA_CHỈ]  "
	  "(mật khẩu đọc từ stdin)",
	  "tạo người dùng với một vai trò", cmd_user },
	{ "remind", "giapranh [--db URL] remind [--send] [--days N] [--date YYYY-MM-DD] "
	  "[--login L] [--smtp-url smtp://MÁY:CỔNG] [--smtp-from ĐỊA_CHỈ] [--site-url URL]",
	  "nhắc việc: chế độ báo cáo, giao ban cụm, nhiệm vụ, kiến nghị đến hạn trong N "
	  "ngày hoặc quá hạn; --send gửi thư tổng hợp cho từng người (mỗi ngày một lần, "
	  "chạy lại không gửi trùng)", cmd_remind },
	{ "token", "giapranh [--db URL] token create --login L [--label TEXT]",
	  "tạo mã truy cập API (Bearer) cho một người dùng", cmd_token },
	{ "report", "giapranh [--db URL] report --scope KIND:ID [--period P] "
	  "[--format docx|xlsx|csv|html|pdf|json] [-o FILE] [--report ID] [--stats]",
	  "lập báo cáo sơ kết/tổng kết của một phạm vi (target_set, agreement, program, "
	  "unit, supervision) và một kỳ", cmd_report },
	{ "ingest", "giapranh [--db URL] ingest FILE [--date YYYY-MM-DD] [--dry-run] "
	  "[--format json|text] [--accept all|none|ID,ID…] [--as LOGIN] [--files DIR] "
	  "[--proposals SET.json]",
	  "đọc báo cáo (.txt, .html, .docx), đề xuất bản ghi; lưu văn bản và lô đề xuất "
	  "chờ duyệt (--dry-run: chỉ in, không ghi gì; --accept: chấp nhận ngay)",
	  cmd_ingest },
	{ "copy-db", "giapranh copy-db --from URL --to URL",
	  "chép mọi bản ghi sang cơ sở dữ liệu khác (SQLite ↔ PostgreSQL), giữ "
	  "nguyên id, rồi đối chiếu số dòng và tổng kiểm; chạy lại không sao", cmd_copy_db },
	{ "backup", "giapranh [--db URL] backup --to FILE",
	  "sao lưu cơ sở dữ liệu khi máy chủ đang chạy (SQLite: một tệp; PostgreSQL: "
	  "pg_dump -Fc)", cmd_backup },
	{ "restore", "giapranh [--db URL] restore --from FILE [--force]",
	  "khôi phục bản sao lưu (dừng máy chủ trước; --force ghi đè dữ liệu đã có)",
	  cmd_backup },
	{ "schema-sql", "giapranh schema-sql [--engine sqlite|postgres]",
	  "in lược đồ SQL sinh từ bảng mô tả bản ghi", cmd_schema_sql },
	{ "openapi", "giapranh openapi",
	  "in mô tả OpenAPI 3.1 của API (như GET /api/v1/openapi.json)", cmd_openapi },
	{ "help", "giapranh help [COMMAND]", "hướng dẫn", cmd_help },
	/* hidden (empty summary): the route table for tests/e2e/test_security.py */
	{ "routes", "giapranh routes --json", "", cmd_routes },
	/* hidden: the files `make install` copies besides static/ */
	{ "assets", "giapranh assets", "", cmd_assets },
};

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "giapranh — điều phối chương trình khu vực biên giới\n\n"
	    "Cách dùng: giapranh [--db URL] LỆNH [tham số]\n"
	    "  --db URL   cơ sở dữ liệu (mặc định $GIAPRANH_DB hoặc %s)\n\n"
	    "Lệnh:\n", STORE_DEFAULT_URL);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].summary[0] != '\0')
			fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n`giapranh LỆNH --help` cho chi tiết từng lệnh.\n");
}

static int
cmd_help(struct cli *c)
{
	const struct command *cmd = c->argc > 0 ? find_command(c->argv[0]) : NULL;

	if (cmd == NULL) {
		usage(stdout);
		return 0;
	}
	printf("%s\n  %s\n", cmd->usage, cmd->summary);
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli c = { 0 };
	const struct command *cmd;
	char *args[256];
	int i, n = 0;
	const char *name = NULL;

	routes_install(); /* what `serve` serves, `routes --json` lists */
	c.db = getenv("GIAPRANH_DB");
	c.data = getenv("GIAPRANH_DATA");
	if (c.data == NULL)
		c.data = "data";
	for (i = 1; i < argc && n < 255; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			c.db = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			c.data = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			c.help = 1;
		else if (name == NULL && argv[i][0] != '-')
			name = argv[i];
		else
			args[n++] = argv[i];
	}
	args[n] = NULL;
	if (name == NULL) {
		usage(c.help ? stdout : stderr);
		return c.help ? 0 : 2;
	}
	cmd = find_command(name);
	if (cmd == NULL) {
		fprintf(stderr, "giapranh: không có lệnh '%s'\n\n", name);
		usage(stderr);
		return 2;
	}
	if (c.help) {
		printf("%s\n  %s\n", cmd->usage, cmd->summary);
		return 0;
	}
	c.argc = n;
	c.argv = args;
	return cmd->run(&c);
}
