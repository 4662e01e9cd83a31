/* records.c - see records.h */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "domain/plaus.h"
#include "domain/records.h"
#include "domain/validate.h"
#include "domain/webhook.h"
#include "domain/workflow.h"

int
records_audit(struct store *s, const struct actor *who, const char *action,
    const char *entity, int64_t id, const json_t *before, const json_t *after,
    struct err *e)
{
	struct store_audit a = { who ? who->name : NULL, who ? who->user_id : 0,
		action, entity, id, NULL, NULL };
	char *b = NULL, *aj = NULL;
	int rc;

	if (before != NULL)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after != NULL)
		aj = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	a.before_json = b;
	a.after_json = aj;
	/* an entry missing a part would be written without it */
	if ((before != NULL && b == NULL) || (after != NULL && aj == NULL))
		rc = err_nomem(e);
	else
		rc = store_audit_append(s, &a, e);
	free(b);
	free(aj);
	return rc;
}

static bool
allowed(const struct actor *who, struct store *s, const struct entity_def *ent,
    const json_t *rec, struct err *e)
{
	return who == NULL || who->may_write == NULL ||
	    who->may_write(who, s, ent, rec, e);
}

unsigned
records_vflags(const struct actor *who, unsigned rflags)
{
	unsigned v = (rflags & R_SYSTEM) ? V_SYSTEM : 0;

	if (who != NULL && who->may_write != NULL && !who->clearance)
		v |= V_HIDE_CONFIDENTIAL;
	return v;
}

static bool
blank(const json_t *v)
{
	const char *p;

	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return false;
	for (p = json_string_value(v); *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
	return true;
}

void
records_refuse_named_scope(struct store *s, const struct entity_def *ent,
    const json_t *input, const json_t *before, const struct actor *who,
    struct err *e)
{
	unsigned vf = records_vflags(who, 0);
	struct err pe = { 0 };
	char msg[ERR_MSG_MAX];
	json_t *probe, *v, *tv;
	bool named = false;
	size_t i;

	if (e == NULL || e->code != ERR_INVALID || who == NULL ||
	    who->may_write == NULL || !json_is_object(input))
		return;
	probe = before != NULL ? json_deep_copy(before) : json_object();
	if (probe == NULL)
		return;
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		if (!write_rule_field(ent, f) || (f->flags & (F_SYSTEM | F_SECRET)) ||
		    (v = json_object_get(input, f->name)) == NULL || blank(v))
			continue;
		tv = validate_value_flags(s, f, v, vf, msg, sizeof(msg), &pe);
		/* a bad one (or one hidden from the actor) is answered as such */
		if (tv == NULL || json_object_set_new(probe, f->name, tv) != 0)
			goto out;
		named = true;
	}
	if (named && validate_links(s, ent, probe, vf, &pe) == 0 &&
	    !who->may_write(who, s, ent, probe, &pe) && pe.code != ERR_NONE) {
		err_clear(e);
		*e = pe;
		pe.fields = NULL;
	}
out:
	err_clear(&pe);
	json_decref(probe);
}

static bool
writable(const struct entity_def *ent, unsigned flags, struct err *e)
{
	if ((ent->flags & E_READONLY) && !(flags & R_SYSTEM)) {
		err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label);
		return false;
	}
	return true;
}

bool
records_may_write_entity(struct store *s, const struct entity_def *ent,
    const struct actor *who, unsigned flags, struct err *e)
{
	return writable(ent, flags, e) && (who == NULL ||
	    who->may_write == NULL || who->may_write(who, s, ent, NULL, e));
}

int
records_admit(struct store *s, const struct entity_def *ent,
    const json_t *before, const json_t *after, const struct actor *who,
    unsigned flags, struct err *e)
{
	unsigned vf = records_vflags(who, flags);

	if (after == NULL)
		return allowed(who, s, ent, before, e) ?
		    workflow_admit(ent, before, NULL, who, flags, e) : -1;
	/* where the record goes is judged before whether it is whole */
	if (validate_links(s, ent, after, vf, e) != 0 ||
	    !allowed(who, s, ent, after, e) || validate_whole(ent, after, e) != 0)
		return -1;
	if (workflow_admit(ent, before, after, who, flags, e) != 0)
		return -1;
	/* an implausible figure is submitted only with a comment (plaus.h) */
	return plaus_admit(s, ent, before, after, who, e);
}

json_t *
records_check_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    struct err *e)
{
	json_t *rec = validate_record(s, ent, input, records_vflags(who, flags), e);

	if (rec == NULL) {
		records_refuse_named_scope(s, ent, input, NULL, who, e);
		return NULL;
	}
	if (records_admit(s, ent, NULL, rec, who, flags, e) != 0) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

int
records_batch_begin(struct store *s, const struct entity_def *ent,
    const struct actor *who, unsigned flags, struct err *e)
{
	if (ent != NULL && !records_may_write_entity(s, ent, who, flags, e))
		return -1;
	return store_begin(s, e);
}

int
records_batch_end(struct store *s, bool keep, struct err *e)
{
	if (keep)
		return store_commit(s, e); /* undone by itself when it fails */
	store_rollback(s);
	return 0;
}

int
records_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    json_t **out, struct err *e)
{
	json_t *rec, *stored = NULL;
	int64_t id;

	if (out != NULL)
		*out = NULL;
	if (!records_may_write_entity(s, ent, who, flags, e))
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	if ((rec = records_check_create(s, ent, input, who, flags, e)) == NULL)
		goto fail;
	if (store_insert(s, ent, rec, &id, e) != 0)
		goto fail;
	if (!(flags & R_NO_AUDIT) || out != NULL) {
		stored = store_get(s, ent, id, e);
		if (stored == NULL)
			goto fail;
	}
	/* the audit entry, and the webhooks' deliveries of the same write
	 * (webhook.h: the outbox, sent after commit) */
	if (!(flags & R_NO_AUDIT) &&
	    (records_audit(s, who, "create", ent->name, id, NULL, stored, e) != 0 ||
	    webhook_enqueue(s, ent, "create", id, NULL, stored, who, e) != 0))
		goto fail;
	if (store_commit(s, e) != 0)
		goto fail_nort;
	json_decref(rec);
	if (out != NULL)
		*out = stored;
	else
		json_decref(stored);
	return 0;
fail:
	store_rollback(s);
fail_nort:
	json_decref(rec);
	json_decref(stored);
	return -1;
}

/* Keep the history of workflow moves (status_change). */
static int
record_status_change(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *before, const json_t *after, const struct actor *who,
    struct err *e)
{
	const char *field = workflow_field(ent), *from, *to;
	char today[CLOCK_DATE_LEN];
	json_t *rec;
	int rc;

	if (field == NULL)
		return 0;
	from = json_string_value(json_object_get(before, field));
	to = json_string_value(json_object_get(after, field));
	if (to == NULL || (from != NULL && strcmp(from, to) == 0))
		return 0;
	clock_today(today);
	rec = json_pack("{s:s, s:I, s:s?, s:s, s:s}",
	    field_name(FLD_STATUS_CHANGE_ENTITY), ent->name,
	    field_name(FLD_STATUS_CHANGE_RECORD_ID), (json_int_t)id,
	    field_name(FLD_STATUS_CHANGE_FROM_STATUS), from,
	    field_name(FLD_STATUS_CHANGE_TO_STATUS), to,
	    field_name(FLD_STATUS_CHANGE_CHANGED_ON), today);
	if (rec == NULL || (who != NULL && who->user_id > 0 &&
	    json_object_set_new(rec, field_name(FLD_STATUS_CHANGE_USER_ID),
	    json_integer(who->user_id)) != 0))
		rc = err_nomem(e);
	else
		rc = store_insert(s, entity_of(ENT_STATUS_CHANGE), rec, NULL, e);
	json_decref(rec);
	return rc;
}

int
records_update(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *input, int64_t expected_version, const struct actor *who,
    unsigned flags, json_t **out, struct err *e)
{
	json_t *rec = NULL, *before = NULL, *after = NULL, *merged = NULL;
	unsigned vf = records_vflags(who, flags);
	int64_t cur_version;

	if (out != NULL)
		*out = NULL;
	if (!records_may_write_entity(s, ent, who, flags, e))
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	before = store_get(s, ent, id, e);
	if (before == NULL)
		goto fail;
	if (!allowed(who, s, ent, before, e))
		goto fail;
	cur_version = json_integer_value(json_object_get(before, "version"));
	if (expected_version > 0 && expected_version != cur_version) {
		err_set(e, ERR_STALE, "%s số %lld đã được người khác sửa (phiên bản %lld, "
		    "bạn sửa từ phiên bản %lld); hãy tải lại rồi sửa lại", ent->label,
		    (long long)id, (long long)cur_version, (long long)expected_version);
		goto fail;
	}
	rec = validate_record(s, ent, input, V_PARTIAL | vf, e);
	if (rec == NULL) {
		records_refuse_named_scope(s, ent, input, before, who, e);
		goto fail;
	}
	merged = json_deep_copy(before);
	if (merged == NULL || json_object_update(merged, rec) != 0) {
		err_nomem(e);
		goto fail;
	}
	if (records_admit(s, ent, before, merged, who, flags, e) != 0)
		goto fail;
	if (store_update(s, ent, id, rec, cur_version, e) != 0)
		goto fail;
	after = store_get(s, ent, id, e);
	if (after == NULL || record_status_change(s, ent, id, before, after, who, e) != 0)
		goto fail;
	if (!(flags & R_NO_AUDIT) &&
	    (records_audit(s, who, "update", ent->name, id, before, after, e) != 0 ||
	    webhook_enqueue(s, ent, "update", id, before, after, who, e) != 0))
		goto fail;
	if (store_commit(s, e) != 0)
		goto fail_nort;
	json_decref(rec);
	json_decref(before);
	json_decref(merged);
	if (out != NULL)
		*out = after;
	else
		json_decref(after);
	return 0;
fail:
	store_rollback(s);
fail_nort:
	json_decref(rec);
	json_decref(before);
	json_decref(after);
	json_decref(merged);
	return -1;
}

int
records_delete(struct store *s, const struct entity_def *ent, int64_t id,
    int64_t expected_version, const struct actor *who, struct err *e)
{
	json_t *before;

	if (!records_may_write_entity(s, ent, who, 0, e))
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	before = store_get(s, ent, id, e);
	if (before == NULL || records_admit(s, ent, before, NULL, who, 0, e) != 0)
		goto fail;
	if (store_delete(s, ent, id, expected_version, e) != 0)
		goto fail;
	if (records_audit(s, who, "delete", ent->name, id, before, NULL, e) != 0 ||
	    webhook_enqueue(s, ent, "delete", id, before, NULL, who, e) != 0)
		goto fail;
	json_decref(before);
	return store_commit(s, e);
fail:
	store_rollback(s);
	json_decref(before);
	return -1;
}
