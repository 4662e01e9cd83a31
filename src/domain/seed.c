/* seed.c - see seed.h */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/auth.h"
#include "domain/csvio.h"
#include "domain/records.h"
#include "domain/seed.h"
#include "domain/validate.h"

#define SEED_FILE_MAX ((size_t)64 << 20)

static const struct actor seed_actor = { .name = "init" };
/* The demo is a snapshot of years of work (approved values, agreements in
 * force): loaded in the states it shows, not replayed as moves stamped with
 * today's date (workflow.h, "History loads"). */
static const struct actor demo_actor = { .name = "demo", .history = true };

#define LEGAL_BASIS_COMMUNES "Các Nghị quyết số 1654/NQ-UBTVQH15 đến " \
	"1687/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về " \
	"sắp xếp đơn vị hành chính cấp xã năm 2025"
#define LEGAL_BASIS_PROVINCES "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 " \
	"của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"

static json_t *
load_csv(const char *dir, const char *name, struct err *e)
{
	char path[PATH_MAX_GP];
	size_t len;
	char *data;
	json_t *rows;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	data = read_file(path, SEED_FILE_MAX, &len, e);
	if (data == NULL)
		return NULL;
	rows = csv_parse_rows(data, len, e);
	free(data);
	return rows;
}

/* One vintage of units: fills map code -> id. */
static int
load_units(struct store *s, const char *dir, const char *file,
    const char *valid_from, const char *valid_to, json_t *map, long *count,
    struct err *e)
{
	const struct entity_def *ent = entity_of(ENT_ADMIN_UNIT);
	json_t *rows, *row;
	size_t i;
	int rc = 0;

	rows = load_csv(dir, file, e);
	if (rows == NULL)
		return -1;
	json_array_foreach(rows, i, row) {
		const char *code, *parent;
		json_t *rec, *out = NULL;
		if (i == 0)
			continue; /* header: code,name,type,level,parent_code */
		if (json_array_size(row) < 5) {
			rc = err_set(e, ERR_BAD_REQUEST, "%s dòng %zu: thiếu cột", file, i + 1);
			break;
		}
		code = json_string_value(json_array_get(row, 0));
		parent = json_string_value(json_array_get(row, 4));
		rec = json_pack("{s:s, s:O, s:O, s:O, s:s?, s:s?}",
		    field_name(FLD_ADMIN_UNIT_CODE), code,
		    field_name(FLD_ADMIN_UNIT_NAME), json_array_get(row, 1),
		    field_name(FLD_ADMIN_UNIT_TYPE), json_array_get(row, 2),
		    field_name(FLD_ADMIN_UNIT_LEVEL), json_array_get(row, 3),
		    field_name(FLD_ADMIN_UNIT_VALID_FROM), valid_from,
		    field_name(FLD_ADMIN_UNIT_VALID_TO), valid_to);
		if (parent != NULL && *parent != '\0') {
			json_t *pid = json_object_get(map, parent);
			if (pid == NULL) {
				json_decref(rec);
				rc = err_set(e, ERR_BAD_REQUEST, "%s dòng %zu: không có đơn "
				    "vị cấp trên mã %s", file, i + 1, parent);
				break;
			}
			json_object_set(rec, field_name(FLD_ADMIN_UNIT_PARENT_ID), pid);
		}
		rc = records_create(s, ent, rec, &seed_actor, R_SYSTEM | R_NO_AUDIT,
		    &out, e);
		json_decref(rec);
		if (rc != 0) {
			err_prefix(e, "%s dòng %zu: ", file, i + 1);
			break;
		}
		json_object_set(map, code, json_object_get(out, "id"));
		json_decref(out);
		(*count)++;
	}
	json_decref(rows);
	return rc;
}

static int
load_lineage(struct store *s, const char *dir, const char *file,
    json_t *old_map, json_t *new_map, const char *basis, long *count,
    struct err *e)
{
	const struct entity_def *ent = entity_of(ENT_UNIT_LINEAGE);
	json_t *rows, *row, *succ = json_object(), *pred = json_object();
	size_t i;
	int rc = 0;

	rows = load_csv(dir, file, e);
	if (rows == NULL) {
		json_decref(succ);
		json_decref(pred);
		return -1;
	}
	/* how many successors each old unit has (more than one = split) and
	 * predecessors each new one (more than one = merge); one into one is
	 * a rename (migration 0017 classes older rows the same way) */
	json_array_foreach(rows, i, row) {
		const char *old = json_string_value(json_array_get(row, 0));
		const char *nw = json_string_value(json_array_get(row, 1));
		if (i == 0 || old == NULL || nw == NULL)
			continue;
		json_object_set_new(succ, old, json_integer(
		    json_integer_value(json_object_get(succ, old)) + 1));
		json_object_set_new(pred, nw, json_integer(
		    json_integer_value(json_object_get(pred, nw)) + 1));
	}
	json_array_foreach(rows, i, row) {
		const char *old, *nw;
		json_t *oid, *nid, *rec;
		bool split;
		if (i == 0)
			continue;
		old = json_string_value(json_array_get(row, 0));
		nw = json_string_value(json_array_get(row, 1));
		oid = old ? json_object_get(old_map, old) : NULL;
		nid = nw ? json_object_get(new_map, nw) : NULL;
		if (oid == NULL || nid == NULL) {
			rc = err_set(e, ERR_BAD_REQUEST, "%s dòng %zu: mã đơn vị không "
			    "tồn tại (%s -> %s)", file, i + 1, old ? old : "",
			    nw ? nw : "");
			break;
		}
		split = json_integer_value(json_object_get(succ, old)) > 1;
		rec = json_pack("{s:O, s:O, s:s, s:s, s:b, s:s}",
		    field_name(FLD_UNIT_LINEAGE_OLD_UNIT_ID), oid,
		    field_name(FLD_UNIT_LINEAGE_NEW_UNIT_ID), nid,
		    field_name(FLD_UNIT_LINEAGE_EFFECTIVE_ON), REORG_DATE,
		    field_name(FLD_UNIT_LINEAGE_LEGAL_BASIS), basis,
		    field_name(FLD_UNIT_LINEAGE_PARTIAL), split,
		    field_name(FLD_UNIT_LINEAGE_KIND), split ? "split" :
		    json_integer_value(json_object_get(pred, nw)) > 1 ? "merge" :
		    "rename");
		rc = records_create(s, ent, rec, &seed_actor, R_SYSTEM | R_NO_AUDIT,
		    NULL, e);
		json_decref(rec);
		if (rc != 0)
			break;
		(*count)++;
	}
	json_decref(rows);
	json_decref(succ);
	json_decref(pred);
	return rc;
}

int
seed_admin_units(struct store *s, const char *dir, struct seed_summary *sum,
    struct err *e)
{
	json_t *old_map, *new_map, *summary;
	long total;

	if (store_seed_done(s, "admin_units"))
		return 0;
	old_map = json_object();
	new_map = json_object();
	if (store_begin(s, e) != 0)
		goto fail_nort;
	if (load_units(s, dir, "units_2024.csv", NULL, REORG_LAST_DATE, old_map,
	    &sum->units_2024, e) != 0 ||
	    load_units(s, dir, "units_2025.csv", REORG_DATE, NULL, new_map,
	    &sum->units_2025, e) != 0 ||
	    load_lineage(s, dir, "lineage_2025_provinces.csv", old_map, new_map,
	    LEGAL_BASIS_PROVINCES, &sum->lineage, e) != 0 ||
	    load_lineage(s, dir, "lineage_2025.csv", old_map, new_map,
	    LEGAL_BASIS_COMMUNES, &sum->lineage, e) != 0)
		goto fail;
	total = sum->units_2024 + sum->units_2025 + sum->lineage;
	/* one audit entry for the shipped reference data, not one per row */
	summary = json_pack("{s:s, s:I, s:I, s:I}", "source", dir,
	    "units_2024", (json_int_t)sum->units_2024,
	    "units_2025", (json_int_t)sum->units_2025,
	    "lineage", (json_int_t)sum->lineage);
	if (records_audit(s, &seed_actor, "load",
	    entity_of(ENT_ADMIN_UNIT)->name, 0, NULL, summary, e) != 0) {
		json_decref(summary);
		goto fail;
	}
	json_decref(summary);
	if (store_seed_mark(s, "admin_units", total, e) != 0)
		goto fail;
	if (store_commit(s, e) != 0)
		goto fail_nort;
	sum->units_loaded_now = true;
	/* 14,000 units and 10,000 lineage rows where the planner saw none:
	 * without statistics PostgreSQL scans the lineage in every scoped
	 * query (the subtree of a unit) */
	if (store_analyze(s, e) != 0)
		goto fail_nort;
	json_decref(old_map);
	json_decref(new_map);
	return 0;
fail:
	store_rollback(s);
fail_nort:
	sum->units_2024 = sum->units_2025 = sum->lineage = 0;
	json_decref(old_map);
	json_decref(new_map);
	return -1;
}

int
seed_reindex(struct store *s, struct err *e)
{
	size_t i;

	for (i = 0; i < registry_count; i++)
		if (store_reindex(s, registry[i], e) != 0)
			return -1;
	return 0;
}

/* ---- structured text stored before it was checked ----------------------------- */

/* Rows whose value of field f is `value` (not canonical), from id `after`
 * on, a page at a time in id order. */
static json_t *
rows_with(struct store *s, const struct entity_def *ent, const struct field_def *f,
    json_t *value, int64_t after, struct err *e)
{
	struct list_query q;
	json_t *idv = json_integer(after), *rows = NULL;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ f->name, OP_EQ, value };
	q.filters[1] = (struct list_filter){ "id", OP_GT, idv };
	q.nfilters = 2;
	q.sort = "id";
	q.limit = LIST_LIMIT_MAX;
	q.see_confidential = true;
	if (idv == NULL)
		err_nomem(e);
	else if (store_list(s, ent, &q, &rows, NULL, e) != 0)
		rows = NULL;
	json_decref(idv);
	return rows;
}

/* Note a row left as it is; -1 when it could not be listed (out of
 * memory: a row missing from the list would go unnoticed). */
static int
left_as_is(struct seed_canon *out, const struct entity_def *ent,
    const struct field_def *f, int64_t id, const char *value, const char *msg,
    struct err *e)
{
	out->left++;
	if (json_array_size(out->shown) >= CANON_LEFT_SHOWN)
		return 0;
	if (json_array_append_new(out->shown, json_pack("{s:s, s:I, s:s, s:s, s:s}",
	    "entity", ent->name, "id", (json_int_t)id, "field", f->name,
	    "value", value, "message", msg)) != 0)
		return err_nomem(e);
	return 0;
}

/* Rewrite one row's field to its canonical form: a new version and an
 * audit entry (which keeps the written form), in a savepoint.  Not through
 * records_update: the meaning is unchanged, so an approved value or an
 * issued report, locked against edits, is rewritten too, and the rest of
 * the row is not judged again.  0, or -1 with e set (a unique key another
 * row holds with the canonical value: ERR_CONFLICT). */
static int
rewrite_row(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *in, struct err *e)
{
	static const struct actor who = { .name = "giapranh init (chuẩn hóa dữ liệu)" };
	json_t *before = NULL, *after = NULL;

	if (store_begin(s, e) != 0)
		return -1;
	if ((before = store_get(s, ent, id, e)) == NULL ||
	    store_update(s, ent, id, in, rec_int(before, "version"), e) != 0 ||
	    (after = store_get(s, ent, id, e)) == NULL ||
	    records_audit(s, &who, "update", ent->name, id, before, after, e) != 0) {
		store_rollback(s);
		json_decref(before);
		json_decref(after);
		return -1;
	}
	json_decref(before);
	json_decref(after);
	return store_commit(s, e);
}

/* Every row holding `value` in field f: rewritten to canon, or (canon
 * NULL: value does not parse, msg says why) listed. */
static int
canonicalise_value(struct store *s, const struct entity_def *ent,
    const struct field_def *f, json_t *value, json_t *canon, const char *msg,
    struct seed_canon *out, struct err *e)
{
	int64_t after = 0;
	json_t *rows, *row, *in;
	size_t i;
	int rc = 0;

	in = canon != NULL ? json_pack("{s:O}", f->name, canon) : NULL;
	if (canon != NULL && in == NULL)
		return err_nomem(e);
	while (rc == 0) {
		if ((rows = rows_with(s, ent, f, value, after, e)) == NULL) {
			rc = -1;
			break;
		}
		if (json_array_size(rows) == 0) {
			json_decref(rows);
			break;
		}
		json_array_foreach(rows, i, row) {
			struct err re = { 0 };
			after = rec_int(row, "id");
			if (in == NULL) {
				if (left_as_is(out, ent, f, after, json_string_value(value),
				    msg, e) != 0) {
					rc = -1;
					break;
				}
				continue;
			}
			if (rewrite_row(s, ent, after, in, &re) == 0) {
				out->changed++;
				continue;
			}
			if (err_http_status(re.code) >= 500) {
				if (e != NULL) {
					err_clear(e);
					*e = re;
				} else {
					err_clear(&re);
				}
				rc = -1;
				break;
			}
			/* the canonical value taken by another row (a unique key):
			 * listed, not lost */
			rc = left_as_is(out, ent, f, after, json_string_value(value),
			    re.msg, e);
			err_clear(&re);
			if (rc != 0)
				break;
		}
		json_decref(rows);
	}
	json_decref(in);
	return rc;
}

int
seed_canonicalise(struct store *s, struct seed_canon *out, struct err *e)
{
	char msg[ERR_MSG_MAX];
	size_t i, j, k;
	json_t *values, *v, *canon;
	int rc = 0;

	out->changed = out->left = 0;
	if ((out->shown = json_array()) == NULL)
		return err_nomem(e);
	/* one transaction: each row a savepoint of its own (records_update) */
	if (store_begin(s, e) != 0)
		return -1;
	for (i = 0; rc == 0 && i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		for (j = 0; rc == 0 && j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			if (f->type != FT_TEXT || !(f->flags & F_STRUCTURED))
				continue;
			if ((values = store_distinct_text(s, ent, f->name, e)) == NULL) {
				rc = -1;
				break;
			}
			json_array_foreach(values, k, v) {
				canon = validate_value(s, f, v, msg, sizeof(msg), e);
				if (canon == NULL && msg[0] == '\0') {
					rc = -1; /* could not check: e says why */
					break;
				}
				if (canon == NULL || !json_equal(canon, v))
					rc = canonicalise_value(s, ent, f, v, canon, msg, out, e);
				json_decref(canon);
				if (rc != 0)
					break;
			}
			json_decref(values);
		}
	}
	if (rc != 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, e);
}

/* ---- demo data ------------------------------------------------------------ */

struct demo_ctx {
	struct store *s;
	json_t *keys; /* symbolic key -> id */
	const char *file;
	size_t index;
};

/* Resolve "@KEY", "@unit2024:CODE", "@unit2025:CODE"; "@@x" is "@x". */
static json_t *
resolve(struct demo_ctx *dc, const json_t *v, struct err *e)
{
	const char *str = json_string_value(v), *date = NULL, *code = NULL;
	json_t *id;
	int64_t uid;

	if (str == NULL || str[0] != '@')
		return json_incref((json_t *)v);
	if (str[1] == '@')
		return json_string(str + 1);
	if (strncmp(str, "@unit2024:", 10) == 0) {
		date = REORG_LAST_DATE;
		code = str + 10;
	} else if (strncmp(str, "@unit2025:", 10) == 0) {
		date = REORG_DATE;
		code = str + 10;
	}
	if (code != NULL) {
		if (store_unit_by_code(dc->s, code, date, &uid, e) != 0)
			return NULL;
		return json_integer(uid);
	}
	id = json_object_get(dc->keys, str + 1);
	if (id == NULL) {
		err_set(e, ERR_BAD_REQUEST, "không có khóa '%s' được tạo trước đó", str + 1);
		return NULL;
	}
	return json_incref(id);
}

static int
demo_object(struct demo_ctx *dc, const json_t *obj, long *count, struct err *e)
{
	const char *entity = json_string_value(json_object_get(obj, "_entity"));
	const char *key = json_string_value(json_object_get(obj, "_key"));
	const json_t *upd = json_object_get(obj, "_update");
	const struct entity_def *ent = registry_find(entity);
	json_t *input = json_object(), *out = NULL, *v, *r;
	const char *k;
	int rc;

	if (ent == NULL) {
		json_decref(input);
		return err_set(e, ERR_BAD_REQUEST, "loại bản ghi không tồn tại: '%s'",
		    entity ? entity : "(thiếu _entity)");
	}
	json_object_foreach((json_t *)obj, k, v) {
		if (k[0] == '_')
			continue;
		r = resolve(dc, v, e);
		if (r == NULL) {
			json_decref(input);
			return -1;
		}
		json_object_set_new(input, k, r);
	}
	if (upd != NULL) {
		r = resolve(dc, upd, e);
		rc = r == NULL ? -1 : records_update(dc->s, ent, json_integer_value(r),
		    input, 0, &demo_actor, R_SYSTEM, &out, e);
		json_decref(r);
	} else {
		rc = records_create(dc->s, ent, input, &demo_actor, R_SYSTEM, &out, e);
	}
	json_decref(input);
	if (rc != 0)
		return -1;
	if (key != NULL) {
		if (json_object_get(dc->keys, key) != NULL) {
			json_decref(out);
			return err_set(e, ERR_BAD_REQUEST, "khóa '%s' bị trùng", key);
		}
		json_object_set(dc->keys, key, json_object_get(out, "id"));
	}
	json_decref(out);
	(*count)++;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
seed_demo(struct store *s, const char *dir, struct seed_summary *sum,
    struct err *e)
{
	struct demo_ctx dc = { s, json_object(), NULL, 0 };
	char *names[256], path[PATH_MAX_GP];
	size_t n = 0, i, j;
	struct dirent *de;
	json_error_t je;
	DIR *d;
	int rc = -1;

	if (store_seed_done(s, "demo")) {
		json_decref(dc.keys);
		return 0;
	}
	d = opendir(dir);
	if (d == NULL) {
		json_decref(dc.keys);
		return err_set(e, ERR_IO, "không mở được thư mục dữ liệu mẫu %s", dir);
	}
	while ((de = readdir(d)) != NULL && n < 256) {
		size_t len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	if (store_begin(s, e) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *arr, *obj;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		arr = json_load_file(path, 0, &je);
		if (!json_is_array(arr)) {
			err_set(e, ERR_BAD_REQUEST, "%s dòng %d: %s", path, je.line,
			    arr ? "phải là một mảng JSON" : je.text);
			json_decref(arr);
			store_rollback(s);
			goto out;
		}
		json_array_foreach(arr, j, obj) {
			if (demo_object(&dc, obj, &sum->demo_records, e) != 0) {
				err_prefix(e, "%s, mục %zu (%s): ", path, j,
				    json_string_value(json_object_get(obj, "_entity")));
				json_decref(arr);
				store_rollback(s);
				goto out;
			}
		}
		json_decref(arr);
	}
	if (store_seed_mark(s, "demo", sum->demo_records, e) != 0) {
		store_rollback(s);
		goto out;
	}
	if (store_commit(s, e) != 0 || store_analyze(s, e) != 0)
		goto out;
	sum->demo_loaded_now = true;
	rc = 0;
out:
	if (rc != 0)
		sum->demo_records = 0;
	for (i = 0; i < n; i++)
		free(names[i]);
	json_decref(dc.keys);
	return rc;
}

static const struct {
	const char *login, *name, *role, *unit;
	bool security;
} demo_users[] = {
	{ "admin", "Quản trị hệ thống (demo)", "admin", NULL, true },
	{ "simacai", "Cán bộ nhập liệu huyện Si Ma Cai (demo)", "editor", "084", false },
	{ "xem", "Người xem toàn quốc (demo)", "viewer", NULL, false },
};

int
seed_demo_users(struct store *s, struct err *e)
{
	size_t i;

	if (store_seed_done(s, "demo_users"))
		return 0;
	if (auth_init() != 0)
		return err_set(e, ERR_INTERNAL, "không khởi động được libsodium");
	if (store_begin(s, e) != 0)
		return -1;
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		if (auth_user_add(s, demo_users[i].login, demo_users[i].name,
		    DEMO_PASSWORD, demo_users[i].role, demo_users[i].unit,
		    0, demo_users[i].security, e) != 0)
			goto fail;
	}
	if (store_seed_mark(s, "demo_users", (long)i, e) != 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return -1;
}
