/* test_registry.c - the entity table is consistent, and the migrated
 * database has exactly the columns it describes. */
#include "testutil.h"

#include "schema/registry.h"

static void
test_references_resolve_and_come_first(void **state)
{
	size_t i, j, k;

	(void)state;
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		assert_non_null(entity_field(ent, ent->title_field));
		assert_ptr_equal(registry_find(ent->name), ent);
		for (j = 0; j < ent->nfields; j++) {
			const struct field_def *f = &ent->fields[j];
			assert_non_null(f->label);
			if (f->type == FT_REF) {
				const struct entity_def *t = registry_find(f->arg);
				if (t == NULL)
					fail_msg("%s.%s refers to unknown %s", ent->name,
					    f->name, f->arg);
				/* the target is earlier, except self-references and the
				 * few forward links that are never required */
				for (k = 0; k < registry_count && registry[k] != t; k++)
					;
				if (k > i && (f->flags & F_REQUIRED))
					fail_msg("%s.%s: required reference to a later entity",
					    ent->name, f->name);
			}
			if (f->type == FT_ENUM)
				assert_true(enum_count(f) >= 2);
			if (f->type == FT_CATALOG)
				assert_non_null(f->arg);
		}
	}
}

static void
test_enum_choices(void **state)
{
	const struct field_def *f = entity_field(registry_find("agreement"), "status");
	char code[32], label[64];

	(void)state;
	assert_int_equal(enum_count(f), 5);
	assert_int_equal(enum_choice(f, 0, code, sizeof(code), label, sizeof(label)), 0);
	assert_string_equal(code, "planned");
	assert_string_equal(label, "Dự kiến");
	assert_int_equal(enum_choice(f, 4, code, sizeof(code), NULL, 0), 0);
	assert_string_equal(code, "ended");
	assert_int_equal(enum_choice(f, 5, code, sizeof(code), NULL, 0), -1);
	assert_true(enum_has(f, "signed"));
	assert_false(enum_has(f, "sign"));
	assert_false(enum_has(f, ""));
}

static const char *const common_columns[] = {
	"id", "version", "created_at", "updated_at", "illustrative", "search_key",
};

/* Every registry field has a column and every column a field: adding a
 * field without a migration (or the reverse) fails here. */
static void
test_schema_matches_registry(void **state)
{
	struct err e = { 0 };
	struct store *s = tu_store(0, NULL, 0);
	size_t i, j;

	(void)state;
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		json_t *cols = store_table_columns(s, ent->name, &e);
		assert_non_null(cols);
		for (j = 0; j < sizeof(common_columns) / sizeof(common_columns[0]); j++)
			assert_non_null(json_object_get(cols, common_columns[j]));
		for (j = 0; j < ent->nfields; j++)
			if (json_object_get(cols, ent->fields[j].name) == NULL)
				fail_msg("%s.%s has no column: add a migration",
				    ent->name, ent->fields[j].name);
		if (json_object_size(cols) != ent->nfields + 6)
			fail_msg("%s: %zu columns in the database, %zu in the registry",
			    ent->name, json_object_size(cols), ent->nfields + 6);
		json_decref(cols);
	}
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references_resolve_and_come_first),
		cmocka_unit_test(test_enum_choices),
		cmocka_unit_test(test_schema_matches_registry),
	};
	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
