/* records.c - see records.h */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "records.h"
#include "validate.h"
#include "workflow.h"

int
records_audit(struct store *s, const struct actor *who, const char *action,
    const char *entity, int64_t id, const json_t *before, const json_t *after,
    struct err *e)
{
	const struct entity_def *audit = registry_find("audit_log");
	char at[CLOCK_TIMESTAMP_LEN], *b = NULL, *a = NULL;
	json_t *rec;
	int rc;

	clock_timestamp(at);
	if (before != NULL)
		b = json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS);
	if (after != NULL)
		a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	rec = json_pack("{s:s, s:s?, s:s, s:s, s:I, s:s?, s:s?}",
	    "at", at, "actor", who ? who->name : NULL, "action", action,
	    "entity", entity, "record_id", (json_int_t)id,
	    "before_json", b, "after_json", a);
	/* an entry missing a part would be written without it */
	if (rec == NULL || (before != NULL && b == NULL) ||
	    (after != NULL && a == NULL) || (who != NULL && who->user_id > 0 &&
	    json_object_set_new(rec, "user_id", json_integer(who->user_id)) != 0))
		rc = err_nomem(e);
	else
		rc = store_insert(s, audit, rec, NULL, e);
	json_decref(rec);
	free(b);
	free(a);
	return rc;
}

static bool
allowed(const struct actor *who, struct store *s, const struct entity_def *ent,
    const json_t *rec, struct err *e)
{
	return who == NULL || who->may_write == NULL ||
	    who->may_write(who, s, ent, rec, e);
}

static unsigned
vflags(unsigned rflags)
{
	return (rflags & R_SYSTEM) ? V_SYSTEM : 0;
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

int
records_create(struct store *s, const struct entity_def *ent,
    const json_t *input, const struct actor *who, unsigned flags,
    json_t **out, struct err *e)
{
	json_t *rec, *stored = NULL;
	int64_t id;

	if (out != NULL)
		*out = NULL;
	if (!writable(ent, flags, e))
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	rec = validate_record(s, ent, input, vflags(flags), e);
	if (rec == NULL || !allowed(who, s, ent, rec, e))
		goto fail;
	if (workflow_admit(ent, NULL, rec, who, flags, e) != 0)
		goto fail;
	if (store_insert(s, ent, rec, &id, e) != 0)
		goto fail;
	if (!(flags & R_NO_AUDIT) || out != NULL) {
		stored = store_get(s, ent, id, e);
		if (stored == NULL)
			goto fail;
	}
	if (!(flags & R_NO_AUDIT) &&
	    records_audit(s, who, "create", ent->name, id, NULL, stored, e) != 0)
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
	rec = json_pack("{s:s, s:I, s:s?, s:s, s:s}", "entity", ent->name,
	    "record_id", (json_int_t)id, "from_status", from, "to_status", to,
	    "changed_on", today);
	if (rec == NULL || (who != NULL && who->user_id > 0 &&
	    json_object_set_new(rec, "user_id", json_integer(who->user_id)) != 0))
		rc = err_nomem(e);
	else
		rc = store_insert(s, registry_find("status_change"), rec, NULL, e);
	json_decref(rec);
	return rc;
}

int
records_update(struct store *s, const struct entity_def *ent, int64_t id,
    const json_t *input, int64_t expected_version, const struct actor *who,
    unsigned flags, json_t **out, struct err *e)
{
	json_t *rec = NULL, *before = NULL, *after = NULL, *merged = NULL;
	int64_t cur_version;

	if (out != NULL)
		*out = NULL;
	if (!writable(ent, flags, e))
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
	rec = validate_record(s, ent, input, V_PARTIAL | vflags(flags), e);
	if (rec == NULL)
		goto fail;
	merged = json_deep_copy(before);
	if (merged == NULL || json_object_update(merged, rec) != 0) {
		err_nomem(e);
		goto fail;
	}
	if (validate_whole(ent, merged, e) != 0 ||
	    workflow_admit(ent, before, merged, who, flags, e) != 0 ||
	    !allowed(who, s, ent, merged, e))
		goto fail;
	if (store_update(s, ent, id, rec, cur_version, e) != 0)
		goto fail;
	after = store_get(s, ent, id, e);
	if (after == NULL || record_status_change(s, ent, id, before, after, who, e) != 0)
		goto fail;
	if (!(flags & R_NO_AUDIT) &&
	    records_audit(s, who, "update", ent->name, id, before, after, e) != 0)
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

	if (!writable(ent, 0, e))
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	before = store_get(s, ent, id, e);
	if (before == NULL || !allowed(who, s, ent, before, e))
		goto fail;
	if (workflow_admit(ent, before, NULL, who, 0, e) != 0)
		goto fail;
	if (store_delete(s, ent, id, expected_version, e) != 0)
		goto fail;
	if (records_audit(s, who, "delete", ent->name, id, before, NULL, e) != 0)
		goto fail;
	json_decref(before);
	return store_commit(s, e);
fail:
	store_rollback(s);
	json_decref(before);
	return -1;
}
