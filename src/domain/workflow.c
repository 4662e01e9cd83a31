/* workflow.c - see workflow.h */
#include <stdio.h>
#include <string.h>

#include "domain/records.h"
#include "domain/workflow.h"

#define MV_APPROVER 0x1u /* only approvers (and admins) make this move       */
#define MV_BACK     0x2u /* returns or reopens a record: never on the way
                          * forward (workflow_advance, workflow_create)     */
#define MV_TRUSTED  0x4u /* only a trusted write (R_SYSTEM) that sets the
                          * system fields the new state needs              */

struct move {
	const char *from;
	const char *to;
	unsigned flags;
};

struct workflow {
	const char *entity;
	const char *field;
	const char *const *initial; /* states a record is created in (NULL ends) */
	const char *locked;  /* state in which the record may not change, or NULL */
	const struct move *moves;
	size_t nmoves;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* agreements: planned -> (negotiating) -> signed -> active -> ended; one
 * entered from its signed text starts signed (workflow.h) */
static const char *const agreement_initial[] = { "planned", "negotiating",
	"signed", NULL };
static const struct move agreement_moves[] = {
	{ "planned", "negotiating", 0 }, { "planned", "signed", 0 },
	{ "negotiating", "signed", 0 }, { "negotiating", "planned", MV_BACK },
	{ "signed", "active", 0 }, { "signed", "ended", 0 },
	{ "active", "ended", 0 },
};

/* incidents: reported -> verified -> being handled -> resolved/transferred */
static const char *const incident_initial[] = { "reported", NULL };
static const struct move incident_moves[] = {
	{ "reported", "verified", 0 }, { "reported", "handling", 0 },
	{ "reported", "transferred", 0 }, { "verified", "handling", 0 },
	{ "verified", "transferred", 0 }, { "verified", "resolved", 0 },
	{ "handling", "resolved", 0 }, { "handling", "transferred", 0 },
};

/* recommendations: waiting -> answered -> done; or declined */
static const char *const recommendation_initial[] = { "submitted", NULL };
static const struct move recommendation_moves[] = {
	{ "submitted", "answered", 0 }, { "submitted", "declined", 0 },
	{ "answered", "done", 0 }, { "answered", "submitted", MV_BACK },
};

/* indicator values: draft -> submitted -> approved; approvers send back or
 * reopen, and an approved period is locked until reopened */
static const char *const value_initial[] = { "draft", NULL };
static const struct move value_moves[] = {
	{ "draft", "submitted", 0 }, { "submitted", "approved", MV_APPROVER },
	{ "submitted", "draft", MV_APPROVER | MV_BACK },
	{ "approved", "draft", MV_APPROVER | MV_BACK },
};

/* reports: a draft is issued once, by report_issue, which takes its number
 * from the register (an edit setting the status alone would issue it
 * without one) */
static const char *const report_initial[] = { "draft", NULL };
static const struct move report_moves[] = {
	{ "draft", "issued", MV_TRUSTED },
};

static const struct workflow workflows[] = {
	{ "agreement", "status", agreement_initial, NULL, agreement_moves,
	  N(agreement_moves) },
	{ "incident", "status", incident_initial, NULL, incident_moves,
	  N(incident_moves) },
	{ "recommendation", "status", recommendation_initial, NULL,
	  recommendation_moves, N(recommendation_moves) },
	{ "indicator_value", "status", value_initial, "approved", value_moves,
	  N(value_moves) },
	{ "report", "status", report_initial, "issued", report_moves,
	  N(report_moves) },
};

static const struct workflow *
find(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; ent != NULL && i < N(workflows); i++)
		if (strcmp(workflows[i].entity, ent->name) == 0)
			return &workflows[i];
	return NULL;
}

const char *
workflow_field(const struct entity_def *ent)
{
	const struct workflow *w = find(ent);

	return w ? w->field : NULL;
}

static void
label_of(const struct entity_def *ent, const char *field, const char *code,
    char *buf, size_t len)
{
	const struct field_def *f = entity_field(ent, field);
	char c[64];
	size_t i, n = f ? enum_count(f) : 0;

	snprintf(buf, len, "%s", code ? code : "(trống)");
	for (i = 0; i < n; i++) {
		enum_choice(f, i, c, sizeof(c), buf, len);
		if (code != NULL && strcmp(c, code) == 0)
			return;
	}
	snprintf(buf, len, "%s", code ? code : "(trống)");
}

/* "'A', 'B', 'C'" from the labels of codes (NULL ends). */
static void
labels_of(const struct entity_def *ent, const char *field,
    const char *const *codes, char *buf, size_t len)
{
	char l[100];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; codes[i] != NULL && used < len; i++) {
		label_of(ent, field, codes[i], l, sizeof(l));
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
		    i ? ", " : "", l);
	}
}

static bool
is_initial(const struct workflow *w, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && w->initial[i] != NULL; i++)
		if (strcmp(w->initial[i], code) == 0)
			return true;
	return false;
}

bool
workflow_initial(const struct entity_def *ent, const char *code)
{
	const struct workflow *w = find(ent);

	return w == NULL || is_initial(w, code);
}

static bool
in_lock(const struct workflow *w, const char *code)
{
	return w->locked != NULL && code != NULL && strcmp(code, w->locked) == 0;
}

bool
workflow_locked(const struct entity_def *ent, const json_t *rec)
{
	const struct workflow *w = find(ent);

	return w != NULL && in_lock(w, json_string_value(json_object_get(rec,
	    w->field)));
}

/* The move out of the lock state, or NULL. */
static const struct move *
reopening(const struct workflow *w)
{
	size_t i;

	for (i = 0; w->locked != NULL && i < w->nmoves; i++)
		if (strcmp(w->moves[i].from, w->locked) == 0)
			return &w->moves[i];
	return NULL;
}

const char *
workflow_reopen_state(const struct entity_def *ent)
{
	const struct workflow *w = find(ent);
	const struct move *m = w ? reopening(w) : NULL;

	return m ? m->to : NULL;
}

json_t *
workflow_next(const struct entity_def *ent, const char *from)
{
	const struct workflow *w = find(ent);
	json_t *out = json_array();
	size_t i;

	for (i = 0; w != NULL && from != NULL && i < w->nmoves; i++)
		if (strcmp(w->moves[i].from, from) == 0)
			json_array_append_new(out, json_string(w->moves[i].to));
	return out;
}

/* Did anything but the status (and bookkeeping) change? */
static bool
other_fields_changed(const struct entity_def *ent, const char *field,
    const json_t *before, const json_t *after)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const char *name = ent->fields[i].name;
		const json_t *a = json_object_get(before, name);
		const json_t *b = json_object_get(after, name);
		if (strcmp(name, field) == 0 || (ent->fields[i].flags & F_SYSTEM))
			continue;
		if (a == NULL)
			a = json_null();
		if (b == NULL)
			b = json_null();
		if (!json_equal(a, b))
			return true;
	}
	return false;
}

/* A system actor (no permission check) may make approvers' moves. */
static bool
system_actor(const struct actor *who)
{
	return who == NULL || who->may_write == NULL;
}

static int
check_create(const struct entity_def *ent, const struct workflow *w,
    const json_t *after, const struct actor *who, struct err *e)
{
	const struct field_def *f = entity_field(ent, w->field);
	const char *to = json_string_value(json_object_get(after, w->field));
	char lt[100], allowed[ERR_MSG_MAX / 2];

	/* a missing status is validation's to report (the field is required) */
	if (to == NULL || is_initial(w, to))
		return 0;
	if (system_actor(who) && who != NULL && who->history)
		return 0;
	label_of(ent, w->field, to, lt, sizeof(lt));
	labels_of(ent, w->field, w->initial, allowed, sizeof(allowed));
	err_field(e, w->field, "%s: %s mới chỉ được tạo ở trạng thái %s; sang '%s' "
	    "bằng các bước chuyển trạng thái sau khi tạo", f ? f->label : w->field,
	    ent->label, allowed, lt);
	return -1;
}

static int
check_delete(const struct entity_def *ent, const struct workflow *w,
    const json_t *before, struct err *e)
{
	const char *from = json_string_value(json_object_get(before, w->field));
	const struct move *out = reopening(w);
	char lf[100];

	if (!in_lock(w, from))
		return 0;
	label_of(ent, w->field, from, lf, sizeof(lf));
	if (out == NULL)
		return err_set(e, ERR_CONFLICT, "%s ở trạng thái '%s' không xóa được",
		    ent->label, lf);
	return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị khóa; %s "
	    "phải mở lại trước khi xóa", ent->label, lf,
	    (out->flags & MV_APPROVER) ? "người phê duyệt" : "người sửa");
}

static int
check_move(const struct entity_def *ent, const struct workflow *w,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e)
{
	bool approver = system_actor(who) || who->approver;
	const char *from, *to;
	char lf[100], lt[100], allowed[ERR_MSG_MAX / 2];
	size_t i, used = 0;

	from = json_string_value(json_object_get(before, w->field));
	to = json_string_value(json_object_get(after, w->field));
	if (from == NULL || to == NULL || strcmp(from, to) == 0) {
		if (in_lock(w, from) && other_fields_changed(ent, w->field, before, after)) {
			label_of(ent, w->field, from, lf, sizeof(lf));
			return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị "
			    "khóa; người phê duyệt phải mở lại trước khi sửa", ent->label, lf);
		}
		return 0;
	}
	allowed[0] = '\0';
	for (i = 0; i < w->nmoves; i++) {
		const struct move *m = &w->moves[i];
		if (strcmp(m->from, from) != 0)
			continue;
		if (strcmp(m->to, to) == 0) {
			label_of(ent, w->field, to, lt, sizeof(lt));
			if ((m->flags & MV_APPROVER) && !approver)
				return err_set(e, ERR_FORBIDDEN, "chỉ người phê duyệt được "
				    "chuyển sang '%s'", lt);
			if ((m->flags & MV_TRUSTED) && !(flags & R_SYSTEM)) {
				err_field(e, w->field, "%s chỉ chuyển sang '%s' bằng chức "
				    "năng riêng (ban hành lấy số từ sổ đăng ký), không bằng "
				    "cách sửa trạng thái", ent->label, lt);
				return -1;
			}
			if (in_lock(w, from) &&
			    other_fields_changed(ent, w->field, before, after))
				return err_set(e, ERR_CONFLICT, "mở lại trước, rồi mới sửa "
				    "số liệu");
			return 0;
		}
		label_of(ent, w->field, m->to, lt, sizeof(lt));
		if (used < sizeof(allowed))
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used,
			    "%s'%s'", used ? ", " : "", lt);
	}
	label_of(ent, w->field, from, lf, sizeof(lf));
	label_of(ent, w->field, to, lt, sizeof(lt));
	err_field(e, w->field, "không chuyển được từ '%s' sang '%s'; %s%s", lf, lt,
	    used ? "được phép chuyển sang: " : "trạng thái này là trạng thái cuối",
	    allowed);
	return -1;
}

int
workflow_admit(const struct entity_def *ent, const json_t *before,
    const json_t *after, const struct actor *who, unsigned flags,
    struct err *e)
{
	const struct workflow *w = find(ent);

	if (w == NULL)
		return 0;
	if (before == NULL)
		return after != NULL ? check_create(ent, w, after, who, e) : 0;
	if (after == NULL)
		return check_delete(ent, w, before, e);
	return check_move(ent, w, before, after, who, flags, e);
}

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
	const struct workflow *w = find(ent);
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
			else if (check_move(ent, w, rec, after, who, flags, e) == 0) {
				char lt[100];
				label_of(ent, w->field, to, lt, sizeof(lt));
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
	const struct workflow *w = find(ent);
	const char *path[WORKFLOW_STATES_MAX], *start, *to;
	json_t *first = NULL, *made = NULL;
	int64_t id;

	to = w ? json_string_value(json_object_get(input, w->field)) : NULL;
	if (to == NULL || is_initial(w, to) ||
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
