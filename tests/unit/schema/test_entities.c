/*
 * test_entities.c - the registry and behaviour tables generated from
 * schema/entities.txt (tools/entgen.py): the ids name what they say, the
 * workflows are what workflow.c enforces, the scope kinds point both ways.
 */
#include "testutil.h"

#include "domain/scope.h"
#include "domain/workflow.h"
#include "schema/entities.h"
#include "schema/registry.h"

static void
same_string(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		fail_msg("%s: \"%s\" and \"%s\"", what, a ? a : "(null)",
		    b ? b : "(null)");
}

/* ENT_X is registry[ENT_X]; FLD_X_Y names field Y of X, and says so. */
static void
test_ids(void **state)
{
	(void)state;
	assert_int_equal(ENT_COUNT, registry_count);
	assert_string_equal(registry[ENT_MEETING]->name, "meeting");
	assert_string_equal(registry[ENT_AUDIT_LOG]->name, "audit_log");
	assert_int_equal(FLD_ENTITY(FLD_MEETING_HELD_ON), ENT_MEETING);
	assert_string_equal(registry[ENT_MEETING]->fields[
	    FLD_INDEX(FLD_MEETING_HELD_ON)].name, "held_on");
	assert_int_equal(FLD_ENTITY(FLD_CATALOG_ITEM_CATALOG), ENT_CATALOG_ITEM);
	assert_int_equal(FLD_INDEX(FLD_CATALOG_ITEM_CATALOG), 0);
	assert_int_equal(FLD_ENTITY(FLD_REPORT_SCOPE), ENT_REPORT);
	assert_int_equal(ENT_MEETING_NFIELDS, registry[ENT_MEETING]->nfields);
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
		f = &registry[i]->fields[FLD_INDEX(w->field)];
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

/* Every scope kind names an entity whose behaviour points back at it, and
 * report_scope_kind_of finds it by the entity's name; the nation is the one
 * kind without an entity. */
static void
test_scope_kinds(void **state)
{
	size_t i, nations = 0;

	(void)state;
	for (i = 0; i < SCOPE_KIND_COUNT; i++) {
		const struct report_scope_kind_def *k = &report_scope_kinds[i];
		assert_non_null(k->name);
		if (k->entity == NULL) {
			assert_int_equal(k->entity_id, -1);
			nations++;
			continue;
		}
		assert_int_equal(entity_behaviours[k->entity_id].scope_kind, (int)i);
		assert_string_equal(registry[k->entity_id]->name, k->entity);
		assert_ptr_equal(report_scope_kind_of(k->entity), k);
	}
	assert_int_equal(nations, 1);
	assert_int_equal(report_scope_kinds[SCOPE_NATION].entity_id, -1);
	for (i = 0; i < registry_count; i++)
		if (entity_behaviours[i].scope_kind < 0)
			assert_null(report_scope_kind_of(registry[i]->name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_workflows_are_workflow_c),
		cmocka_unit_test(test_scope_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
