/*
 * test_entities.c - the registry generated from schema/entities.txt
 * (tools/entgen.py) is, field by field, the hand-written table of
 * src/schema.c it replaces; the ids it generates name what they say.
 *
 * The generated entities.c is compiled into this test with its registry
 * renamed, beside the library's registry (schema.c).
 */
#include "testutil.h"

#include "schema/registry.h"
#include "domain/workflow.h"

#define registry gen_registry
#define registry_count gen_registry_count
#define report_scope_kinds gen_report_scope_kinds
#include "schema/entities.c"
#undef registry
#undef registry_count
#undef report_scope_kinds

/* report.h's table of scope kinds (report_build.c), declared here as it
 * is laid out: report.h's enum report_scope_kind is entities.h's now */
struct old_scope_kind {
	const char *name;
	const char *entity;
};
extern const struct old_scope_kind report_scope_kinds[];
extern const size_t report_scope_kinds_count;

static void
same_string(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		fail_msg("%s: schema.c has \"%s\", entities.txt \"%s\"", what,
		    a ? a : "(null)", b ? b : "(null)");
}

static void
test_registry_is_schema_c(void **state)
{
	size_t i, j;
	char what[200];

	(void)state;
	assert_int_equal(gen_registry_count, registry_count);
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *a = registry[i], *b = gen_registry[i];
		same_string("entity", a->name, b->name);
		snprintf(what, sizeof(what), "%s.label", a->name);
		same_string(what, a->label, b->label);
		snprintf(what, sizeof(what), "%s.section", a->name);
		same_string(what, a->section, b->section);
		snprintf(what, sizeof(what), "%s.title_field", a->name);
		same_string(what, a->title_field, b->title_field);
		snprintf(what, sizeof(what), "%s.unique_sql", a->name);
		same_string(what, a->unique_sql, b->unique_sql);
		if (a->flags != b->flags || a->write != b->write)
			fail_msg("%s: flags %#x/%#x, write rule %d/%d", a->name, a->flags,
			    b->flags, a->write, b->write);
		if (a->nfields != b->nfields)
			fail_msg("%s: %zu fields in schema.c, %zu in entities.txt", a->name,
			    a->nfields, b->nfields);
		for (j = 0; j < a->nfields; j++) {
			const struct field_def *fa = &a->fields[j], *fb = &b->fields[j];
			snprintf(what, sizeof(what), "%s field %zu", a->name, j);
			same_string(what, fa->name, fb->name);
			snprintf(what, sizeof(what), "%s.%s label", a->name, fa->name);
			same_string(what, fa->label, fb->label);
			snprintf(what, sizeof(what), "%s.%s arg", a->name, fa->name);
			same_string(what, fa->arg, fb->arg);
			if (fa->type != fb->type || fa->flags != fb->flags ||
			    fa->min != fb->min || fa->max != fb->max)
				fail_msg("%s.%s: type %d/%d, flags %#x/%#x, min %g/%g, max %g/%g",
				    a->name, fa->name, fa->type, fb->type, fa->flags, fb->flags,
				    fa->min, fb->min, fa->max, fb->max);
		}
	}
}

/* ENT_X is registry[ENT_X]; FLD_X_Y names field Y of X, and says so. */
static void
test_ids(void **state)
{
	(void)state;
	assert_int_equal(ENT_COUNT, registry_count);
	assert_string_equal(gen_registry[ENT_MEETING]->name, "meeting");
	assert_string_equal(gen_registry[ENT_AUDIT_LOG]->name, "audit_log");
	assert_int_equal(FLD_ENTITY(FLD_MEETING_HELD_ON), ENT_MEETING);
	assert_string_equal(gen_registry[ENT_MEETING]->fields[
	    FLD_INDEX(FLD_MEETING_HELD_ON)].name, "held_on");
	assert_int_equal(FLD_ENTITY(FLD_CATALOG_ITEM_CATALOG), ENT_CATALOG_ITEM);
	assert_int_equal(FLD_INDEX(FLD_CATALOG_ITEM_CATALOG), 0);
	assert_int_equal(FLD_ENTITY(FLD_REPORT_SCOPE), ENT_REPORT);
	assert_int_equal(ENT_MEETING_NFIELDS, gen_registry[ENT_MEETING]->nfields);
}

/* The workflows of the description are those of workflow.c: the same
 * status field, initial states, moves from every state and reopen state. */
static void
test_workflows_are_workflow_c(void **state)
{
	size_t i, j, k;
	char code[64];

	(void)state;
	for (i = 0; i < registry_count; i++) {
		const struct entity_def *ent = registry[i];
		const struct workflow_def *w = entity_behaviours[i].workflow;
		const char *field = workflow_field(ent);
		const struct field_def *f;
		if ((field == NULL) != (w == NULL))
			fail_msg("%s: workflow in one table only", ent->name);
		if (w == NULL)
			continue;
		f = &gen_registry[i]->fields[FLD_INDEX(w->field)];
		assert_int_equal(FLD_ENTITY(w->field), i);
		assert_string_equal(f->name, field);
		{
			const char *reopen = NULL;
			for (k = 0; w->locked != NULL && k < w->nmoves && !reopen; k++)
				if (strcmp(w->moves[k].from, w->locked) == 0)
					reopen = w->moves[k].to;
			same_string(ent->name, workflow_reopen_state(ent), reopen);
		}
		for (j = 0; j < enum_count(f); j++) {
			json_t *next, *v;
			size_t n = 0;
			bool initial = false;
			enum_choice(f, j, code, sizeof(code), NULL, 0);
			for (k = 0; w->initial[k] != NULL; k++)
				initial |= strcmp(w->initial[k], code) == 0;
			if (initial != workflow_initial(ent, code))
				fail_msg("%s: %s initial in one table only", ent->name, code);
			next = workflow_next(ent, code);
			for (k = 0; k < w->nmoves; k++) {
				if (strcmp(w->moves[k].from, code) != 0)
					continue;
				v = json_array_get(next, n++);
				if (v == NULL || strcmp(json_string_value(v), w->moves[k].to) != 0)
					fail_msg("%s: moves from %s differ", ent->name, code);
			}
			assert_int_equal(n, json_array_size(next));
			json_decref(next);
		}
	}
}

/* The scope kinds are report_build.c's, in the same order (the enum). */
static void
test_scope_kinds_are_report_build_c(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(report_scope_kinds_count, SCOPE_KIND_COUNT);
	for (i = 0; i < SCOPE_KIND_COUNT; i++) {
		const struct report_scope_kind_def *k = &gen_report_scope_kinds[i];
		same_string("scope kind", report_scope_kinds[i].name, k->name);
		same_string(k->name, report_scope_kinds[i].entity, k->entity);
		if (k->entity != NULL) {
			assert_int_equal(entity_behaviours[k->entity_id].scope_kind, (int)i);
			assert_string_equal(gen_registry[k->entity_id]->name, k->entity);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_is_schema_c),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_workflows_are_workflow_c),
		cmocka_unit_test(test_scope_kinds_are_report_build_c),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
