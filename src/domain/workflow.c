/* workflow.c - see workflow.h */
#include <stdio.h>
#include <string.h>

#include "domain/actor.h"
#include "domain/workflow.h"
#include "domain/workflow_int.h"

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

const struct workflow *
workflow_find(const struct entity_def *ent)
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
	const struct workflow *w = workflow_find(ent);

	return w ? w->field : NULL;
}

void
workflow_label_of(const struct entity_def *ent, const char *field,
    const char *code, char *buf, size_t len)
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
		workflow_label_of(ent, field, codes[i], l, sizeof(l));
		used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
		    i ? ", " : "", l);
	}
}

bool
workflow_is_initial(const struct workflow *w, const char *code)
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
	const struct workflow *w = workflow_find(ent);

	return w == NULL || workflow_is_initial(w, code);
}

static bool
in_lock(const struct workflow *w, const char *code)
{
	return w->locked != NULL && code != NULL && strcmp(code, w->locked) == 0;
}

bool
workflow_locked(const struct entity_def *ent, const json_t *rec)
{
	const struct workflow *w = workflow_find(ent);

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
	const struct workflow *w = workflow_find(ent);
	const struct move *m = w ? reopening(w) : NULL;

	return m ? m->to : NULL;
}

json_t *
workflow_next(const struct entity_def *ent, const char *from)
{
	const struct workflow *w = workflow_find(ent);
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
	if (to == NULL || workflow_is_initial(w, to))
		return 0;
	if (system_actor(who) && who != NULL && who->history)
		return 0;
	workflow_label_of(ent, w->field, to, lt, sizeof(lt));
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
	workflow_label_of(ent, w->field, from, lf, sizeof(lf));
	if (out == NULL)
		return err_set(e, ERR_CONFLICT, "%s ở trạng thái '%s' không xóa được",
		    ent->label, lf);
	return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị khóa; %s "
	    "phải mở lại trước khi xóa", ent->label, lf,
	    (out->flags & MV_APPROVER) ? "người phê duyệt" : "người sửa");
}

int
workflow_check_move(const struct entity_def *ent, const struct workflow *w,
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
			workflow_label_of(ent, w->field, from, lf, sizeof(lf));
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
			workflow_label_of(ent, w->field, to, lt, sizeof(lt));
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
		workflow_label_of(ent, w->field, m->to, lt, sizeof(lt));
		if (used < sizeof(allowed))
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used,
			    "%s'%s'", used ? ", " : "", lt);
	}
	workflow_label_of(ent, w->field, from, lf, sizeof(lf));
	workflow_label_of(ent, w->field, to, lt, sizeof(lt));
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
	const struct workflow *w = workflow_find(ent);

	if (w == NULL)
		return 0;
	if (before == NULL)
		return after != NULL ? check_create(ent, w, after, who, e) : 0;
	if (after == NULL)
		return check_delete(ent, w, before, e);
	return workflow_check_move(ent, w, before, after, who, flags, e);
}
