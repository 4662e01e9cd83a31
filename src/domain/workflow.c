/* workflow.c - see workflow.h */
#include <stdio.h>
#include <string.h>

#include "domain/actor.h"
#include "domain/workflow.h"
#include "domain/workflow_int.h"

/* The tables are schema/entities.txt's (workflow, initial, move, lock). */
const struct workflow_def *
workflow_find(const struct entity_def *ent)
{
	const struct entity_behaviour *b = entity_behaviour(ent);

	return b != NULL ? b->workflow : NULL;
}

const char *
workflow_field(const struct entity_def *ent)
{
	const struct workflow_def *w = workflow_find(ent);

	return w ? WF_FIELD(w) : NULL;
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
workflow_is_initial(const struct workflow_def *w, const char *code)
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
	const struct workflow_def *w = workflow_find(ent);

	return w == NULL || workflow_is_initial(w, code);
}

static bool
in_lock(const struct workflow_def *w, const char *code)
{
	return w->locked != NULL && code != NULL && strcmp(code, w->locked) == 0;
}

bool
workflow_locked(const struct entity_def *ent, const json_t *rec)
{
	const struct workflow_def *w = workflow_find(ent);

	return w != NULL && in_lock(w, json_string_value(json_object_get(rec,
	    WF_FIELD(w))));
}

/* The move out of the lock state, or NULL. */
static const struct workflow_move *
reopening(const struct workflow_def *w)
{
	size_t i;

	for (i = 0; w->locked != NULL && i < w->nmoves; i++)
		if (strcmp(w->moves[i].from, w->locked) == 0)
			return &w->moves[i];
	return NULL;
}

const char *
workflow_first_state(const struct entity_def *ent)
{
	const struct workflow_def *w = workflow_find(ent);

	return w != NULL ? w->initial[0] : NULL;
}

const char *
workflow_reopen_state(const struct entity_def *ent)
{
	const struct workflow_def *w = workflow_find(ent);
	const struct workflow_move *m = w ? reopening(w) : NULL;

	return m ? m->to : NULL;
}

json_t *
workflow_next(const struct entity_def *ent, const char *from)
{
	const struct workflow_def *w = workflow_find(ent);
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
check_create(const struct entity_def *ent, const struct workflow_def *w,
    const json_t *after, const struct actor *who, struct err *e)
{
	const struct field_def *f = entity_field(ent, WF_FIELD(w));
	const char *to = json_string_value(json_object_get(after, WF_FIELD(w)));
	char lt[100], allowed[ERR_MSG_MAX / 2];

	/* a missing status is validation's to report (the field is required) */
	if (to == NULL || workflow_is_initial(w, to))
		return 0;
	if (system_actor(who) && who != NULL && who->history)
		return 0;
	workflow_label_of(ent, WF_FIELD(w), to, lt, sizeof(lt));
	labels_of(ent, WF_FIELD(w), w->initial, allowed, sizeof(allowed));
	err_field(e, WF_FIELD(w), "%s: %s mới chỉ được tạo ở trạng thái %s; sang '%s' "
	    "bằng các bước chuyển trạng thái sau khi tạo", f ? f->label : WF_FIELD(w),
	    ent->label, allowed, lt);
	return -1;
}

static int
check_delete(const struct entity_def *ent, const struct workflow_def *w,
    const json_t *before, struct err *e)
{
	const char *from = json_string_value(json_object_get(before, WF_FIELD(w)));
	const struct workflow_move *out = reopening(w);
	char lf[100];

	if (!in_lock(w, from))
		return 0;
	workflow_label_of(ent, WF_FIELD(w), from, lf, sizeof(lf));
	if (out == NULL)
		return err_set(e, ERR_CONFLICT, "%s ở trạng thái '%s' không xóa được",
		    ent->label, lf);
	return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị khóa; %s "
	    "phải mở lại trước khi xóa", ent->label, lf,
	    (out->flags & MV_APPROVER) ? "người phê duyệt" : "người sửa");
}

int
workflow_check_move(const struct entity_def *ent, const struct workflow_def *w,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e)
{
	bool approver = system_actor(who) || who->approver;
	const char *from, *to;
	char lf[100], lt[100], allowed[ERR_MSG_MAX / 2];
	size_t i, used = 0;

	from = json_string_value(json_object_get(before, WF_FIELD(w)));
	to = json_string_value(json_object_get(after, WF_FIELD(w)));
	if (from == NULL || to == NULL || strcmp(from, to) == 0) {
		if (in_lock(w, from) && other_fields_changed(ent, WF_FIELD(w), before, after)) {
			workflow_label_of(ent, WF_FIELD(w), from, lf, sizeof(lf));
			return err_set(e, ERR_CONFLICT, "%s đang ở trạng thái '%s' nên bị "
			    "khóa; người phê duyệt phải mở lại trước khi sửa", ent->label, lf);
		}
		return 0;
	}
	allowed[0] = '\0';
	for (i = 0; i < w->nmoves; i++) {
		const struct workflow_move *m = &w->moves[i];
		if (strcmp(m->from, from) != 0)
			continue;
		if (strcmp(m->to, to) == 0) {
			workflow_label_of(ent, WF_FIELD(w), to, lt, sizeof(lt));
			if ((m->flags & MV_APPROVER) && !approver)
				return err_set(e, ERR_FORBIDDEN, "chỉ người phê duyệt được "
				    "chuyển sang '%s'", lt);
			if ((m->flags & MV_TRUSTED) && !(flags & R_SYSTEM)) {
				err_field(e, WF_FIELD(w), "%s chỉ chuyển sang '%s' bằng chức "
				    "năng riêng (ban hành lấy số từ sổ đăng ký), không bằng "
				    "cách sửa trạng thái", ent->label, lt);
				return -1;
			}
			if (in_lock(w, from) &&
			    other_fields_changed(ent, WF_FIELD(w), before, after))
				return err_set(e, ERR_CONFLICT, "mở lại trước, rồi mới sửa "
				    "số liệu");
			return 0;
		}
		workflow_label_of(ent, WF_FIELD(w), m->to, lt, sizeof(lt));
		if (used < sizeof(allowed))
			used += (size_t)snprintf(allowed + used, sizeof(allowed) - used,
			    "%s'%s'", used ? ", " : "", lt);
	}
	workflow_label_of(ent, WF_FIELD(w), from, lf, sizeof(lf));
	workflow_label_of(ent, WF_FIELD(w), to, lt, sizeof(lt));
	err_field(e, WF_FIELD(w), "không chuyển được từ '%s' sang '%s'; %s%s", lf, lt,
	    used ? "được phép chuyển sang: " : "trạng thái này là trạng thái cuối",
	    allowed);
	return -1;
}

int
workflow_admit(const struct entity_def *ent, const json_t *before,
    const json_t *after, const struct actor *who, unsigned flags,
    struct err *e)
{
	const struct workflow_def *w = workflow_find(ent);

	if (w == NULL)
		return 0;
	if (before == NULL)
		return after != NULL ? check_create(ent, w, after, who, e) : 0;
	if (after == NULL)
		return check_delete(ent, w, before, e);
	return workflow_check_move(ent, w, before, after, who, flags, e);
}
