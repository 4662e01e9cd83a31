/*
 * test_webhook.c - webhooks (webhook.h): which entities a filter takes,
 * the signature against a known HMAC-SHA256 (Python's hmac gives the
 * same), the backoff table, and the outbox on a database with the units:
 * every write path of records.c queues one delivery per webhook that takes
 * the entity, in the write's transaction (undone with it), with the record
 * only when anyone could read it; the sender's outcomes when there is no
 * answer (kept, tried later) and when the webhook cannot be used (failed).
 * The deliveries to a real receiver are tests/e2e/test_webhooks.py's.
 */
#include "testutil.h"

#include "base/clock.h"
#include "domain/records.h"
#include "domain/webhook.h"

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct actor tester = { .name = "test", .history = true };
static struct store *db;

static int
setup(void **state)
{
	(void)state;
	db = tu_store(1, NULL, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	store_close(db);
	return 0;
}

static void
test_filter(void **state)
{
	static const struct { const char *filter, *entity; bool takes; } cases[] = {
		{ NULL, "meeting", true },
		{ "", "incident", true },
		{ "  ", "person", true },
		{ "meeting", "meeting", true },
		{ "meeting", "meeting_participant", false },
		{ "activity; meeting", "meeting", true },
		{ "activity,meeting", "activity", true },
		{ "activity meeting", "incident", false },
		{ "", "app_user", false },         /* admin-only: named only */
		{ "app_user", "app_user", true },
		{ "", "audit_log", false },        /* logs: never */
		{ "audit_log", "audit_log", false },
		{ "status_change", "status_change", false },
		{ "webhook", "webhook", false },   /* its own tables: never */
		{ "", "webhook_delivery", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N_ELEM(cases); i++) {
		const struct entity_def *ent = registry_find(cases[i].entity);
		assert_non_null(ent);
		if (webhook_filter_takes(cases[i].filter, ent) != cases[i].takes)
			fail_msg("filter \"%s\", %s: %s", cases[i].filter ? cases[i].filter :
			    "(null)", cases[i].entity, cases[i].takes ? "not taken" : "taken");
	}
}

static void
test_sign_and_backoff(void **state)
{
	static const struct { const char *env; int attempts; long wait; } waits[] = {
		{ NULL, 1, WEBHOOK_BACKOFF_FIRST_S },
		{ NULL, 2, WEBHOOK_BACKOFF_FIRST_S * 2 },
		{ NULL, 3, WEBHOOK_BACKOFF_FIRST_S * 4 },
		{ NULL, 40, WEBHOOK_BACKOFF_MAX_S },
		{ "1", 1, 1 }, { "1", 2, 2 }, { "1", 3, 4 },
		{ "abc", 1, WEBHOOK_BACKOFF_FIRST_S }, { "0", 1, WEBHOOK_BACKOFF_FIRST_S },
	};
	char sig[WEBHOOK_SIGNATURE_LEN];
	size_t i;

	(void)state;
	/* python3 -c 'import hmac,hashlib; print(hmac.new(b"khoa-bi-mat",
	 *   b"1700000000.{\"a\":1}", hashlib.sha256).hexdigest())' */
	webhook_sign("khoa-bi-mat", "1700000000", "{\"a\":1}", 7, sig);
	assert_string_equal(sig, "sha256=801a960e2cc5cec0ed83bba0f692ec0ebfdfa53003e4b9b2d"
	    "5c34297479fbdfe");
	for (i = 0; i < N_ELEM(waits); i++) {
		if (waits[i].env != NULL)
			setenv("GIAPRANH_TEST_WEBHOOK_BACKOFF_S", waits[i].env, 1);
		else
			unsetenv("GIAPRANH_TEST_WEBHOOK_BACKOFF_S");
		assert_int_equal(webhook_backoff_s(waits[i].attempts), waits[i].wait);
	}
	unsetenv("GIAPRANH_TEST_WEBHOOK_BACKOFF_S");
}

static json_t *
create(const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;

	if (records_create(db, registry_find(entity), in, &tester, 0, &out, &e) != 0)
		fail_msg("create %s: %s", entity, e.msg);
	json_decref(in);
	return out;
}

/* records_update with input made for it (and released). */
static int
update(const char *entity, int64_t id, json_t *in, struct err *e)
{
	int rc = records_update(db, registry_find(entity), id, in, 0, &tester, 0, NULL, e);

	json_decref(in);
	return rc;
}

static int64_t
id_of(const json_t *r)
{
	return json_integer_value(json_object_get(r, "id"));
}

/* The deliveries of one record, oldest first. */
static json_t *
deliveries(const char *entity, int64_t id)
{
	struct list_query q = { 0 };
	json_t *rows = NULL, *ev = json_string(entity), *iv = json_integer(id);

	q.filters[0] = (struct list_filter){ "entity", OP_EQ, ev };
	q.filters[1] = (struct list_filter){ "record_id", OP_EQ, iv };
	q.nfilters = 2;
	q.limit = 100;
	q.see_confidential = true;
	assert_int_equal(store_list(db, registry_find("webhook_delivery"), &q, &rows,
	    NULL, NULL), 0);
	json_decref(ev);
	json_decref(iv);
	return rows;
}

static int64_t
all_deliveries(void)
{
	int64_t n = -1;

	assert_int_equal(store_count(db, registry_find("webhook_delivery"), &n, NULL), 0);
	return n;
}

static json_t *
body_of(const json_t *d)
{
	json_t *b = json_loads(json_string_value(json_object_get(d, "payload")), 0, NULL);

	assert_non_null(b);
	return b;
}

static void
test_outbox_follows_every_write(void **state)
{
	struct err e = { 0 };
	json_t *hook, *off, *other, *p, *rows, *b, *inc;
	int64_t unit = 0;
	size_t n;

	(void)state;
	hook = create("webhook", json_pack("{s:s, s:s, s:b}", "target_url",
	    "http://127.0.0.1:9/nhan", "secret", "khoa-bi-mat", "active", 1));
	/* the secret is written, never read back */
	assert_null(json_object_get(hook, "secret"));
	{
		char *secret = NULL;
		assert_int_equal(store_webhook_secret(db, id_of(hook), &secret, &e), 0);
		assert_string_equal(secret, "khoa-bi-mat");
		free(secret);
	}
	off = create("webhook", json_pack("{s:s, s:s, s:b}", "target_url",
	    "http://127.0.0.1:9/tat", "secret", "x", "active", 0));
	other = create("webhook", json_pack("{s:s, s:s, s:b, s:s}", "target_url",
	    "http://127.0.0.1:9/hoi-nghi", "secret", "y", "active", 1,
	    "entity_filter", "meeting"));

	/* a create: one delivery (the active webhook that takes people) */
	p = create("person", json_pack("{s:s}", "full_name", "Nguyễn Văn Thử"));
	rows = deliveries("person", id_of(p));
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "webhook_id")), id_of(hook));
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "status")), "pending");
	b = body_of(json_array_get(rows, 0));
	assert_string_equal(json_string_value(json_object_get(b, "event")), WEBHOOK_CREATED);
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "record"),
	    "full_name")), "Nguyễn Văn Thử");
	assert_true(json_is_false(json_object_get(b, "content_withheld")));
	assert_string_equal(json_string_value(json_object_get(b, "delivery_id")),
	    json_string_value(json_object_get(json_array_get(rows, 0), "delivery_id")));
	json_decref(b);
	json_decref(rows);

	/* an update, then a delete: its content never goes */
	assert_int_equal(update("person", id_of(p), json_pack("{s:s}", "full_name",
	    "Nguyễn Văn Sửa"), &e), 0);
	assert_int_equal(records_delete(db, registry_find("person"), id_of(p), 0,
	    &tester, &e), 0);
	rows = deliveries("person", id_of(p));
	assert_int_equal(json_array_size(rows), 3);
	b = body_of(json_array_get(rows, 1));
	assert_string_equal(json_string_value(json_object_get(b, "event")), WEBHOOK_UPDATED);
	json_decref(b);
	b = body_of(json_array_get(rows, 2));
	assert_string_equal(json_string_value(json_object_get(b, "event")), WEBHOOK_DELETED);
	assert_true(json_is_null(json_object_get(b, "record")));
	assert_true(json_is_true(json_object_get(b, "content_withheld")));
	json_decref(b);
	json_decref(rows);

	/* a write undone queues nothing (ids may be reused: count them all) */
	{
		int64_t before = all_deliveries();
		assert_int_equal(records_batch_begin(db, NULL, &tester, 0, &e), 0);
		json_decref(p);
		p = create("person", json_pack("{s:s}", "full_name", "Bỏ đi"));
		assert_int_equal(all_deliveries(), before + 1);
		assert_int_equal(records_batch_end(db, false, &e), 0);
		assert_int_equal(all_deliveries(), before);
	}

	/* a confidential incident: entity and id only; its workflow move too */
	assert_int_equal(store_unit_by_code(db, "084", "2024-01-01", &unit, &e), 0);
	inc = create("incident", json_pack("{s:s, s:s, s:s, s:I, s:s, s:b}", "kind",
	    "illegal_crossing", "title", "Vụ việc mật", "occurred_on", "2024-05-02",
	    "unit_id", (json_int_t)unit, "status", "reported", "confidential", 1));
	assert_int_equal(update("incident", id_of(inc), json_pack("{s:s}", "status",
	    "verified"), &e), 0);
	rows = deliveries("incident", id_of(inc));
	assert_int_equal(json_array_size(rows), 2);
	for (n = 0; n < 2; n++) {
		b = body_of(json_array_get(rows, n));
		assert_true(json_is_null(json_object_get(b, "record")));
		assert_true(json_is_true(json_object_get(b, "content_withheld")));
		assert_null(strstr(json_string_value(json_object_get(json_array_get(rows, n),
		    "payload")), "Vụ việc mật"));
		assert_null(json_object_get(b, "workflow"));
		json_decref(b);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1),
	    "kind")), WEBHOOK_MOVED);
	json_decref(rows);
	/* made readable: a move with its states */
	assert_int_equal(update("incident", id_of(inc), json_pack("{s:b, s:s}",
	    "confidential", 0, "status", "handling"), &e), 0);
	rows = deliveries("incident", id_of(inc));
	b = body_of(json_array_get(rows, 2));
	assert_string_equal(json_string_value(json_object_get(b, "event")), WEBHOOK_MOVED);
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "workflow"),
	    "from")), "verified");
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "workflow"),
	    "to")), "handling");
	assert_string_equal(json_string_value(json_object_get(json_object_get(b, "record"),
	    "title")), "Vụ việc mật");
	json_decref(b);
	json_decref(rows);
	/* the webhooks' own writes are sent nowhere */
	assert_int_equal(json_array_size(rows = deliveries("webhook", id_of(off))), 0);
	json_decref(rows);
	json_decref(inc);
	json_decref(p);
	json_decref(hook);
	json_decref(off);
	json_decref(other);
}

static json_t *
delivery(int64_t id)
{
	json_t *d = store_get(db, registry_find("webhook_delivery"), id, NULL);

	assert_non_null(d);
	return d;
}

static void
test_sender_outcomes(void **state)
{
	struct err e = { 0 };
	json_t *rows, *d, *p, *hooks = NULL;
	struct list_query q = { 0 };
	size_t i;
	int64_t refused = 0, failed = 0;

	(void)state;
	/* every delivery so far goes to port 9 on this host: nothing listens
	 * there (connection refused, at once); one webhook more with no
	 * usable address */
	json_decref(create("webhook", json_pack("{s:s, s:s, s:b}", "target_url",
	    "ftp://127.0.0.1/khong-duoc", "secret", "z", "active", 1)));
	p = create("person", json_pack("{s:s}", "full_name", "Người nhận thử"));
	rows = deliveries("person", id_of(p));
	/* (a deleted person's id may be taken again: its deliveries first) */
	while (json_array_size(rows) > 2)
		json_array_remove(rows, 0);
	assert_int_equal(json_array_size(rows), 2);
	json_array_foreach(rows, i, d) {
		json_t *h = store_get(db, registry_find("webhook"),
		    json_integer_value(json_object_get(d, "webhook_id")), NULL);
		const char *url = json_string_value(json_object_get(h, "target_url"));
		if (strncmp(url, "ftp:", 4) == 0)
			failed = id_of(d);
		else
			refused = id_of(d);
		json_decref(h);
	}
	json_decref(rows);
	assert_true(webhook_deliver_due(db, &e) >= 2);
	d = delivery(refused);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "pending");
	assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 1);
	assert_non_null(strstr(json_string_value(json_object_get(d, "last_error")),
	    "không gửi được"));
	/* tried again only after its backoff */
	{
		char now[CLOCK_TIMESTAMP_LEN];
		clock_timestamp(now);
		assert_true(strcmp(json_string_value(json_object_get(d, "next_attempt_at")),
		    now) > 0);
	}
	json_decref(d);
	d = delivery(failed);
	assert_string_equal(json_string_value(json_object_get(d, "status")), "failed");
	assert_non_null(strstr(json_string_value(json_object_get(d, "last_error")), "http"));
	json_decref(d);
	/* nothing due now: the pass takes none of them */
	assert_int_equal(webhook_deliver_due(db, &e), 0);
	d = delivery(refused);
	assert_int_equal(json_integer_value(json_object_get(d, "attempts")), 1);
	json_decref(d);
	/* a delivery taken by another sender is not taken again */
	{
		bool taken;
		d = delivery(refused);
		assert_int_equal(store_webhook_claim(db, refused, 0, "2099-01-01T00:00:00Z",
		    "2026-01-01T00:00:00Z", &taken, &e), 0);
		assert_false(taken); /* it has had one attempt, not 0 */
		json_decref(d);
	}
	q.limit = 10;
	assert_int_equal(store_list(db, registry_find("webhook"), &q, &hooks, NULL, &e), 0);
	json_decref(hooks);
	json_decref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_sign_and_backoff),
		cmocka_unit_test(test_outbox_follows_every_write),
		cmocka_unit_test(test_sender_outcomes),
	};
	return cmocka_run_group_tests_name("webhook", tests, setup, teardown);
}
