/* test_bulk.c - the bulk path (giapranh import, POST _bulk) is the one
 * write path, batched: for every entity of the description, the same
 * input loaded one by one (records_create), as a JSON row and as a row of
 * cells stores the same record with one audit entry each, and a bad input
 * is refused by all three naming the same fields, with nothing written. */
#include "testutil.h"
#include "testrec.h"

#include "domain/bulk.h"

#define COLS_MAX 64
#define CELL_TEXT_MAX 64

/* Fields the store fills itself: they differ between two writes. */
static bool
own_field(const struct field_def *f)
{
	return strcmp(f->name, "id") == 0 || (f->flags & F_SYSTEM) != 0;
}

/* rec as a row of cells, the way a CSV file or a sheet holds it. */
static size_t
cells_of(const json_t *rec, const char **names, const char **cells,
    char text[][CELL_TEXT_MAX])
{
	const char *key;
	json_t *v;
	size_t n = 0;

	json_object_foreach((json_t *)rec, key, v) {
		assert_true(n < COLS_MAX);
		names[n] = key;
		if (json_is_string(v)) {
			cells[n] = json_string_value(v);
		} else {
			if (json_is_integer(v))
				snprintf(text[n], CELL_TEXT_MAX, "%lld",
				    (long long)json_integer_value(v));
			else if (json_is_real(v))
				snprintf(text[n], CELL_TEXT_MAX, "%.17g", json_real_value(v));
			else
				snprintf(text[n], CELL_TEXT_MAX, "%s", json_is_true(v) ? "1" : "0");
			cells[n] = text[n];
		}
		n++;
	}
	return n;
}

/* Load rec through one path; the stored record (NULL when refused), the
 * refusal's fields (sorted names, space-separated) into bad. */
enum path { BY_RECORD, BY_JSON_ROW, BY_CELLS };

static json_t *
load(struct store *s, const struct entity_def *ent, const json_t *rec,
    enum path how, char *bad, size_t badlen)
{
	struct import_result res = { 0 };
	struct err e = { 0 };
	json_t *out = NULL, *er;
	const char *names[COLS_MAX], *cells[COLS_MAX];
	char text[COLS_MAX][CELL_TEXT_MAX];
	struct bulk *b;
	size_t n = 0, i;
	int rc;

	*bad = '\0';
	if (how == BY_RECORD) {
		if (records_create(s, ent, rec, &tester, 0, &out, &e) == 0) {
			json_t *stored = store_get(s, ent, rec_int(out, "id"), NULL);
			json_decref(out);
			return stored;
		}
		if (e.code != ERR_INVALID)
			fail_msg("%s %s by records_create: error %d %s", ent->name,
			    json_dumps(rec, 0), e.code, e.msg);
		{
			const char *k;
			json_t *v;
			json_object_foreach(e.fields, k, v) {
				strncat(bad, k, badlen - strlen(bad) - 2);
				strcat(bad, " ");
			}
		}
		err_clear(&e);
		return NULL;
	}
	res.errors = json_array();
	if (how == BY_CELLS)
		n = cells_of(rec, names, cells, text);
	/* a file without a required column is refused at its header (line 1) */
	b = bulk_open(s, ent, how == BY_CELLS ? names : NULL, n, &tester, &res, &e);
	if (b != NULL) {
		rc = how == BY_CELLS ? bulk_row_cells(b, 2, cells, NULL, n, &e) :
		    bulk_row_json(b, 1, rec, &e);
		assert_int_equal(rc, 0);
		rc = bulk_finish(b, false, &e);
	} else {
		rc = -1;
	}
	if (rc == 0) {
		assert_int_equal(res.imported, 1);
		out = last_record(s, ent);
	} else {
		if (e.code != ERR_INVALID)
			fail_msg("%s %s by %s: error %d %s", ent->name, json_dumps(rec, 0),
			    how == BY_CELLS ? "cells" : "JSON row", e.code, e.msg);
		assert_int_equal(res.imported, 0);
		json_array_foreach(res.errors, i, er) {
			strncat(bad, rec_str(er, "field") ? rec_str(er, "field") : "?",
			    badlen - strlen(bad) - 2);
			strcat(bad, " ");
		}
	}
	err_clear(&e);
	json_decref(res.errors);
	return out;
}

/* "b a c " -> "a b c": the paths need not list fields in one order. */
static void
sort_words(char *s)
{
	char *w[COLS_MAX], copy[1024], *p, *save = NULL;
	size_t n = 0, i, j;

	snprintf(copy, sizeof(copy), "%s", s);
	for (p = strtok_r(copy, " ", &save); p != NULL && n < COLS_MAX;
	    p = strtok_r(NULL, " ", &save))
		w[n++] = p;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
			p = w[j];
			w[j] = w[j - 1];
			w[j - 1] = p;
		}
	*s = '\0';
	for (i = 0; i < n; i++) {
		strcat(s, w[i]);
		strcat(s, i + 1 < n ? " " : "");
	}
}

static void
assert_same_record(const struct entity_def *ent, const json_t *a, const json_t *b,
    const char *what)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		json_t *va = json_object_get(a, f->name), *vb = json_object_get(b, f->name);
		if (own_field(f) || (f->flags & F_SECRET))
			continue;
		if ((va == NULL) != (vb == NULL) || (va != NULL && !json_equal(va, vb)))
			fail_msg("%s.%s: records_create stored %s, %s stored %s", ent->name,
			    f->name, va ? json_dumps(va, JSON_ENCODE_ANY) : "(none)", what,
			    vb ? json_dumps(vb, JSON_ENCODE_ANY) : "(none)");
	}
}

/* Load rec by every path, one after the other on the same database (each
 * stored record deleted again); all must agree. */
static size_t
agree(struct store *s, const struct entity_def *ent, const json_t *rec)
{
	static const char *const path_name[] = { "records_create", "a JSON row",
		"a row of cells" };
	char bad[3][1024];
	json_t *stored[3];
	int64_t audits;
	size_t k, written = 0;

	for (k = 0; k < 3; k++) {
		struct err e = { 0 };
		audits = count_of(s, "audit_log");
		stored[k] = load(s, ent, rec, (enum path)k, bad[k], sizeof(bad[k]));
		sort_words(bad[k]);
		if (stored[k] != NULL) {
			/* one audit entry per record, whichever path wrote it */
			assert_int_equal(count_of(s, "audit_log"), audits + 1);
			assert_int_equal(records_delete(s, ent, rec_int(stored[k], "id"), 0,
			    &tester, &e), 0);
			written++;
		} else {
			assert_int_equal(count_of(s, "audit_log"), audits);
		}
		if ((stored[k] == NULL) != (stored[0] == NULL))
			fail_msg("%s %s: %s %s, %s %s", ent->name, json_dumps(rec, 0),
			    path_name[0], stored[0] ? "stored it" : "refused it",
			    path_name[k], stored[k] ? "stored it" : "refused it");
		if (stored[k] == NULL && strcmp(bad[k], bad[0]) != 0)
			fail_msg("%s %s: %s refused [%s], %s refused [%s]", ent->name,
			    json_dumps(rec, 0), path_name[0], bad[0], path_name[k], bad[k]);
		if (stored[k] != NULL && k > 0)
			assert_same_record(ent, stored[0], stored[k], path_name[k]);
	}
	for (k = 0; k < 3; k++)
		json_decref(stored[k]);
	return written;
}

/* The entities a writer loads (the rest are the system's own). */
static bool
loadable(const struct entity_def *ent)
{
	return ent->write != WR_SYSTEM && ent->write != WR_NONE;
}

static void
test_every_entity_valid(void **state)
{
	struct store *s = *state;
	size_t i, entities = 0, stored = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *rec;
		if (!loadable(ent))
			continue;
		rec = sample_record(s, ent, 0);
		if (agree(s, ent, rec) == 3)
			stored++;
		else /* refused alike: say which, the sample may need a value */
			print_message("%s: its sample refused by every path\n", ent->name);
		entities++;
		json_decref(rec);
	}
	/* a valid sample is stored by all three paths for nearly every entity
	 * (those it is not must be refused by all three alike, above) */
	print_message("%zu entities, %zu stored alike by the three paths\n", entities,
	    stored);
	assert_true(entities > 30);
	assert_true(stored * 10 >= entities * 9);
}

/* Each required field left out, then given a value of the wrong type:
 * refused by all three, naming the same fields. */
static void
test_every_entity_refused(void **state)
{
	struct store *s = *state;
	size_t i, j, cases = 0;

	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *base;
		if (!loadable(ent))
			continue;
		base = sample_record(s, ent, 0);
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			json_t *rec;
			if (json_object_get(base, f->name) == NULL)
				continue;
			/* (a file of no column at all is refused as empty, a 400) */
			if ((f->flags & F_REQUIRED) && json_object_size(base) > 1) {
				rec = json_deep_copy(base);
				json_object_del(rec, f->name);
				assert_int_equal(agree(s, ent, rec), 0);
				json_decref(rec);
				cases++;
			}
			if (f->type == FT_INTEGER || f->type == FT_DATE || f->type == FT_REF ||
			    f->type == FT_ENUM) {
				rec = json_deep_copy(base);
				json_object_set_new(rec, f->name, json_string("không hợp lệ"));
				assert_int_equal(agree(s, ent, rec), 0);
				json_decref(rec);
				cases++;
			}
		}
		json_decref(base);
	}
	print_message("%zu bad inputs refused alike by the three paths\n", cases);
	assert_true(cases > 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entity_valid),
		cmocka_unit_test(test_every_entity_refused),
	};

	return cmocka_run_group_tests_name("bulk", tests, tu_setup_units, tu_teardown);
}
