/* workflow_move.c - see workflow_move.h (moved from workflow.c: the moves
 * write through records.c, which itself asks workflow.c, so they sit above
 * both) */
#include <stdio.h>
#include <string.h>

#include "domain/records.h"
#include "domain/workflow.h"
#include "domain/workflow_int.h"
#include "domain/workflow_move.h"

/* ---- moving forward ---------------------------------------------------------- */

static bool
seen(const char *const *st, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(st[i], code) == 0)
			return true;
	return false;
}

/*
 * The shortest way forward (no back move) from one of the states `from`
 * (NULL ends) to `to`, breadth first: the states after the start, in order,
 * into path; *start receives the state it starts from.  Returns the number
 * of moves (0 when `to` is one of `from`), -1 when there is no way.
 */
static int
forward_path(const struct workflow *w, const char *const *from, const char *to,
    const char **start, const char *path[WORKFLOW_STATES_MAX])
{
	const char *st[WORKFLOW_STATES_MAX];
	int prev[WORKFLOW_STATES_MAX];
	size_t n = 0, head, i;
	int k, len;

	for (i = 0; from[i] != NULL && n < WORKFLOW_STATES_MAX; i++)
		if (!seen(st, n, from[i])) {
			st[n] = from[i];
			prev[n++] = -1;
		}
	/* st doubles as the queue: states are appended as they are reached */
	for (head = 0; head < n; head++) {
		if (strcmp(st[head], to) == 0) {
			len = 0;
			for (k = (int)head; prev[k] >= 0; k = prev[k])
				len++;
			i = (size_t)len;
			for (k = (int)head; prev[k] >= 0; k = prev[k])
				path[--i] = st[k];
			*start = st[k];
			return len;
		}
		for (i = 0; i < w->nmoves && n < WORKFLOW_STATES_MAX; i++) {
			const struct move *m = &w->moves[i];
			if ((m->flags & MV_BACK) || strcmp(m->from, st[head]) != 0 ||
			    seen(st, n, m->to))
				continue;
			st[n] = m->to;
			prev[n++] = (int)head;
		}
	}
	return -1;
}

int
workflow_advance(struct store *s, const struct entity_def *ent, int64_t id,
    const char *to, const struct actor *who, unsigned flags, json_t **out,
    struct err *e)
{
	const struct workflow *w = workflow_find(ent);
	const char *path[WORKFLOW_STATES_MAX], *start, *from;
	const char *one[2] = { NULL, NULL };
	json_t *rec = NULL, *in;
	int n, i;

	if (out != NULL)
		*out = NULL;
	if (w == NULL || to == NULL)
		return err_set(e, ERR_INTERNAL, "%s không có quy trình trạng thái",
		    ent->label);
	if (store_begin(s, e) != 0)
		return -1;
	if ((rec = store_get(s, ent, id, e)) == NULL)
		goto fail;
	from = json_string_value(json_object_get(rec, w->field));
	one[0] = from;
	n = from != NULL ? forward_path(w, one, to, &start, path) : -1;
	if (n < 0) {
		const char *back[2] = { to, NULL };
		/* already further along: nothing to do */
		if (from != NULL && forward_path(w, back, from, &start, path) >= 0)
			n = 0;
		else {
			/* refused with the message of a move not in the table */
			json_t *after = json_deep_copy(rec);
			if (after == NULL ||
			    json_object_set_new(after, w->field, json_string(to)) != 0)
				err_nomem(e);
			else if (workflow_check_move(ent, w, rec, after, who, flags, e) == 0) {
				char lt[100];
				workflow_label_of(ent, w->field, to, lt, sizeof(lt));
				err_field(e, w->field, "không chuyển được sang '%s'", lt);
			}
			json_decref(after);
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		json_decref(rec);
		rec = NULL;
		in = json_pack("{s:s}", w->field, path[i]);
		if (in == NULL) {
			err_nomem(e);
			goto fail;
		}
		if (records_update(s, ent, id, in, 0, who, flags, &rec, e) != 0) {
			json_decref(in);
			goto fail;
		}
		json_decref(in);
	}
	if (store_commit(s, e) != 0)
		goto fail_nort;
	if (out != NULL)
		*out = rec;
	else
		json_decref(rec);
	return 0;
fail:
	store_rollback(s);
fail_nort:
	json_decref(rec);
	return -1;
}

int
workflow_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    json_t **out, struct err *e)
{
	const struct workflow *w = workflow_find(ent);
	const char *path[WORKFLOW_STATES_MAX], *start, *to;
	json_t *first = NULL, *made = NULL;
	int64_t id;

	to = w ? json_string_value(json_object_get(input, w->field)) : NULL;
	if (to == NULL || workflow_is_initial(w, to) ||
	    forward_path(w, w->initial, to, &start, path) < 0)
		return records_create(s, ent, input, who, flags, out, e);
	if (out != NULL)
		*out = NULL;
	if ((first = json_copy((json_t *)input)) == NULL ||
	    json_object_set_new(first, w->field, json_string(start)) != 0) {
		json_decref(first);
		return err_nomem(e);
	}
	if (store_begin(s, e) != 0) {
		json_decref(first);
		return -1;
	}
	if (records_create(s, ent, first, who, flags, &made, e) != 0)
		goto fail;
	id = json_integer_value(json_object_get(made, "id"));
	if (workflow_advance(s, ent, id, to, who, flags, out, e) != 0)
		goto fail;
	json_decref(first);
	json_decref(made);
	if (store_commit(s, e) == 0)
		return 0;
	if (out != NULL) {
		json_decref(*out);
		*out = NULL;
	}
	return -1;
fail:
	store_rollback(s);
	json_decref(first);
	json_decref(made);
	return -1;
}
