/* test_remind.c - what falls due, for whom: every kind of item (tasks,
 * recommendations, briefings, reporting duties) collected as of a fixed
 * day, in order; each user's own (a table of users); the bell's count and
 * its cache; the digest's text; a run whose relay is down gives its claims
 * back. */
#include "testutil.h"

#include "domain/auth.h"
#include "domain/mail.h"
#include "domain/records.h"
#include "domain/remind.h"

#define TODAY "2025-03-10"

enum { U_SIMACAI, U_COMMUNE, U_NATIONAL, U_OTHER, U_COUNT };

struct fixture {
	struct store *s;
	struct user users[U_COUNT];
	int64_t simacai, commune, org;
	int64_t soon, late, far, done, rec, answered, cluster, duty;
};

static const struct actor sys = { .name = "test" };

static int64_t
create(struct store *s, const char *entity, json_t *in)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int64_t id;

	if (records_create(s, registry_find(entity), in, &sys, R_SYSTEM, &out, &e) != 0)
		fail_msg("%s: %s %s", entity, e.msg, e.fields ? json_dumps(e.fields, 0) : "");
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(in);
	json_decref(out);
	return id;
}

static int64_t
task(struct store *s, const char *title, int64_t unit, const char *deadline,
    const char *completed)
{
	return create(s, "task", json_pack("{s:s, s:I, s:s, s:s, s:s?}", "title", title,
	    "assignee_unit_id", (json_int_t)unit, "assigned_on", "2025-01-02",
	    "deadline", deadline, "completed_on", completed));
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	static const struct { const char *login, *role, *unit; } us[U_COUNT] = {
		[U_SIMACAI] = { "r_simacai", "editor", "084" },
		[U_COMMUNE] = { "r_commune", "editor", "02851" },
		[U_NATIONAL] = { "r_national", "viewer", NULL },
		[U_OTHER] = { "r_xinman", "editor", "033" },
	};
	struct err e = { 0 };
	int64_t set, child;
	json_t *kids;
	size_t i;

	assert_non_null(fx);
	assert_int_equal(auth_init(), 0);
	fx->s = tu_store(1, NULL, 0);
	assert_int_equal(store_unit_by_code(fx->s, "084", "2024-01-01", &fx->simacai, &e), 0);
	assert_int_equal(store_unit_by_code(fx->s, "02851", "2024-01-01", &fx->commune, &e), 0);
	kids = store_unit_children(fx->s, fx->simacai, &e);
	assert_true(json_array_size(kids) > 0);
	child = json_integer_value(json_object_get(json_array_get(kids, 0), "id"));
	json_decref(kids);
	for (i = 0; i < U_COUNT; i++)
		if (auth_user_add(fx->s, us[i].login, us[i].login, "mat-khau-thu", us[i].role,
		    us[i].unit, 0, false, &e) != 0 ||
		    auth_user_by_login(fx->s, us[i].login, &fx->users[i], &e) != 0)
			fail_msg("user %s: %s", us[i].login, e.msg);
	fx->org = create(fx->s, "organisation", json_pack("{s:s, s:s, s:I}", "name",
	    "Ủy ban nhân dân huyện Si Ma Cai", "kind", "peoples_committee", "unit_id",
	    (json_int_t)fx->simacai));
	fx->soon = task(fx->s, "Hoàn thiện hồ sơ mốc", fx->simacai, "2025-03-13", NULL);
	fx->late = task(fx->s, "Báo cáo xuất nhập cảnh", fx->commune, "2025-03-08", NULL);
	fx->far = task(fx->s, "Việc còn xa", fx->simacai, "2025-05-30", NULL);
	fx->done = task(fx->s, "Việc đã xong", fx->simacai, "2025-03-01", "2025-02-27");
	fx->rec = create(fx->s, "recommendation", json_pack("{s:s, s:I, s:I, s:s, s:s}",
	    "title", "Sửa đường tuần tra", "from_org_id", (json_int_t)fx->org,
	    "to_org_id", (json_int_t)fx->org, "raised_on", "2025-01-29", "status",
	    "submitted"));
	fx->answered = create(fx->s, "recommendation", json_pack("{s:s, s:I, s:s, s:s}",
	    "title", "Đã trả lời", "from_org_id", (json_int_t)fx->org, "raised_on",
	    "2025-01-29", "status", "submitted"));
	{
		json_t *in = json_pack("{s:s}", "status", "answered");
		assert_int_equal(records_update(fx->s, registry_find("recommendation"),
		    fx->answered, in, 0, &sys, R_SYSTEM, NULL, &e), 0);
		json_decref(in);
	}
	fx->cluster = create(fx->s, "cluster", json_pack("{s:s, s:s}", "name",
	    "Cụm giáp ranh thử", "briefing_frequency", "monthly"));
	create(fx->s, "cluster_member", json_pack("{s:I, s:I}", "cluster_id",
	    (json_int_t)fx->cluster, "unit_id", (json_int_t)child));
	set = create(fx->s, "target_set", json_pack("{s:s, s:I, s:i, s:i}", "name",
	    "Bộ chỉ tiêu biên giới", "unit_id", (json_int_t)fx->simacai, "term_start", 2021,
	    "term_end", 2025));
	/* last year's report due 2024-12-31 + 71 days = 2025-03-12 */
	fx->duty = create(fx->s, "reporting_duty", json_pack("{s:I, s:I, s:I, s:s, s:i}",
	    "target_set_id", (json_int_t)set, "reporter_unit_id", (json_int_t)fx->simacai,
	    "recipient_org_id", (json_int_t)fx->org, "frequency", "yearly", "due_day", 71));
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->s);
	free(fx);
	return 0;
}

static const json_t *
find(const json_t *items, const char *category, int64_t id)
{
	const json_t *it;
	char href[64];
	size_t i;

	snprintf(href, sizeof(href), "/e/%s/%lld", category, (long long)id);
	json_array_foreach(items, i, it)
		if (strcmp(json_string_value(json_object_get(it, "href")), href) == 0)
			return it;
	return NULL;
}

static void
test_collect_every_kind_in_order(void **state)
{
	struct fixture *fx = *state;
	struct err e = { 0 };
	json_t *all = remind_collect(fx->s, TODAY, 7, &e);
	static const struct {
		const char *category;
		size_t which; /* offsetof the id in the fixture */
		bool present, overdue;
		long days;
	} want[] = {
		{ "task", offsetof(struct fixture, soon), true, false, 3 },
		{ "task", offsetof(struct fixture, late), true, true, -2 },
		{ "task", offsetof(struct fixture, far), false, false, 0 },
		{ "task", offsetof(struct fixture, done), false, false, 0 },
		{ "recommendation", offsetof(struct fixture, rec), true, true, -10 },
		{ "recommendation", offsetof(struct fixture, answered), false, false, 0 },
		{ "cluster", offsetof(struct fixture, cluster), true, true, 0 },
		{ "reporting_duty", offsetof(struct fixture, duty), true, false, 2 },
	};
	static const char *const order[] = { "cluster", "recommendation", "task",
		"reporting_duty", "task" };
	size_t i;

	assert_non_null(all);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int64_t id = *(const int64_t *)((const char *)fx + want[i].which);
		const json_t *it = find(all, want[i].category, id);
		if ((it != NULL) != want[i].present)
			fail_msg("case %zu (%s %lld): present %d", i, want[i].category,
			    (long long)id, it != NULL);
		if (it == NULL)
			continue;
		assert_int_equal(json_is_true(json_object_get(it, "overdue")), want[i].overdue);
		assert_int_equal(json_integer_value(json_object_get(it, "days")), want[i].days);
		assert_non_null(json_object_get(it, "_record"));
	}
	/* overdue first (never briefed first of all), then by due date */
	assert_int_equal(json_array_size(all), sizeof(order) / sizeof(order[0]));
	for (i = 0; i < json_array_size(all); i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(all, i),
		    "category")), order[i]);
	assert_true(json_is_null(json_object_get(json_array_get(all, 0), "due_on")));
	assert_string_equal(json_string_value(json_object_get(find(all, "reporting_duty",
	    fx->duty), "headline")), "Báo cáo Bộ chỉ tiêu biên giới, năm 2024");
	json_decref(all);
	/* a horizon of 90 days reaches the far task */
	all = remind_collect(fx->s, TODAY, 90, &e);
	assert_non_null(find(all, "task", fx->far));
	json_decref(all);
	assert_null(remind_collect(fx->s, "10/03/2025", 7, &e));
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
}

/* Whose items: by the units and organisations of their grants, or the
 * records they may write; nothing of another district. */
static void
test_each_users_own(void **state)
{
	struct fixture *fx = *state;
	struct err e = { 0 };
	json_t *all = remind_collect(fx->s, TODAY, 7, &e);
	static const struct {
		int user;
		size_t n;
		bool soon, late, rec, cluster, duty;
	} want[] = {
		{ U_SIMACAI, 4, true, false, true, true, true },
		{ U_COMMUNE, 1, false, true, false, false, false },
		{ U_NATIONAL, 5, true, true, true, true, true },
		{ U_OTHER, 0, false, false, false, false, false },
	};
	size_t i, k, total;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *mine = remind_for_user(fx->s, all, &fx->users[want[i].user], &total, &e);
		const json_t *it;
		assert_non_null(mine);
		assert_int_equal(json_array_size(mine), want[i].n);
		assert_int_equal(total, want[i].n);
		assert_int_equal(find(mine, "task", fx->soon) != NULL, want[i].soon);
		assert_int_equal(find(mine, "task", fx->late) != NULL, want[i].late);
		assert_int_equal(find(mine, "recommendation", fx->rec) != NULL, want[i].rec);
		assert_int_equal(find(mine, "cluster", fx->cluster) != NULL, want[i].cluster);
		assert_int_equal(find(mine, "reporting_duty", fx->duty) != NULL, want[i].duty);
		/* what judged them is not shown */
		json_array_foreach(mine, k, it) {
			const char *key;
			json_t *v;
			json_object_foreach((json_t *)it, key, v)
				assert_true(key[0] != '_');
		}
		json_decref(mine);
	}
	json_decref(all);
}

/* The bell: remind_for_user's total, remembered until the data changes. */
static void
test_count_follows_the_data(void **state)
{
	struct fixture *fx = *state;
	const struct user *u = &fx->users[U_SIMACAI];
	struct err e = { 0 };
	int64_t id;

	assert_int_equal(remind_count(fx->s, u, TODAY, 7, &e), 4);
	assert_int_equal(remind_count(fx->s, u, TODAY, 7, &e), 4);
	assert_int_equal(remind_count(fx->s, u, TODAY, 90, &e), 5);
	assert_int_equal(remind_count(fx->s, &fx->users[U_OTHER], TODAY, 7, &e), 0);
	id = task(fx->s, "Việc mới", fx->simacai, "2025-03-11", NULL);
	assert_int_equal(remind_count(fx->s, u, TODAY, 7, &e), 5);
	assert_int_equal(records_delete(fx->s, registry_find("task"), id, 0, &sys, &e), 0);
	assert_int_equal(remind_count(fx->s, u, TODAY, 7, &e), 4);
	/* another day is another count */
	assert_int_equal(remind_count(fx->s, u, "2025-03-01", 7, &e), 2);
}

/* More items than a list holds: the first REMIND_ITEMS_MAX, the total. */
static void
test_items_are_capped(void **state)
{
	struct fixture *fx = *state;
	struct store *s = tu_store(1, NULL, 0);
	struct user u = fx->users[U_NATIONAL];
	struct err e = { 0 };
	json_t *all, *mine;
	size_t i, total;
	char title[64];

	assert_int_equal(records_batch_begin(s, NULL, &sys, 0, &e), 0);
	for (i = 0; i < REMIND_ITEMS_MAX + 3; i++) {
		snprintf(title, sizeof(title), "Nhiệm vụ %zu", i);
		task(s, title, fx->simacai, "2025-03-01", NULL);
	}
	assert_int_equal(records_batch_end(s, true, &e), 0);
	all = remind_collect(s, TODAY, 7, &e);
	mine = remind_for_user(s, all, &u, &total, &e);
	assert_int_equal(total, REMIND_ITEMS_MAX + 3);
	assert_int_equal(json_array_size(mine), REMIND_ITEMS_MAX);
	json_decref(mine);
	json_decref(all);
	store_close(s);
}

static void
test_digest_text(void **state)
{
	struct fixture *fx = *state;
	struct err e = { 0 };
	json_t *all = remind_collect(fx->s, TODAY, 7, &e);
	json_t *mine = remind_for_user(fx->s, all, &fx->users[U_NATIONAL], NULL, &e);
	char link[96];
	struct buf b;

	buf_init(&b, 1u << 20);
	remind_digest_text(mine, json_array_size(mine) + 2, "Nguyễn Văn A", TODAY, 7,
	    "https://giapranh.example", &b);
	assert_non_null(strstr(b.data, "Kính gửi Nguyễn Văn A,"));
	assert_non_null(strstr(b.data, "ngày 10/03/2025: 3 việc quá hạn, 2 việc đến hạn "
	    "trong 7 ngày tới."));
	assert_true(strstr(b.data, "QUÁ HẠN") < strstr(b.data, "SẮP ĐẾN HẠN"));
	assert_non_null(strstr(b.data, "- [Nhiệm vụ] Báo cáo xuất nhập cảnh\n  hạn "
	    "08/03/2025 (quá hạn 2 ngày)"));
	assert_non_null(strstr(b.data, "hạn 13/03/2025 (còn 3 ngày)"));
	assert_non_null(strstr(b.data, "[Giao ban cụm] Cụm giáp ranh thử\n  chưa có lần nào"));
	snprintf(link, sizeof(link), "https://giapranh.example/e/task/%lld",
	    (long long)fx->soon);
	assert_non_null(strstr(b.data, link));
	assert_non_null(strstr(b.data, "… và 2 việc khác"));
	buf_free(&b);
	json_decref(mine);
	json_decref(all);
}

/* The relay is down: nothing sent, every claim given back (a later run
 * sends), users without an address or anything due left alone. */
static void
test_send_all_relay_down(void **state)
{
	struct fixture *fx = *state;
	struct remind_mail cfg = { "smtp://127.0.0.1:9", "giapranh@example.org", NULL,
		NULL, 7, NULL };
	struct remind_summary sum;
	struct err e = { 0 };
	struct buf log;
	int i;

	assert_int_equal(mail_global_init(), 0);
	for (i = 0; i < U_COUNT; i++) {
		json_t *in = json_pack("{s:s}", "email", i == U_COMMUNE ? "sai địa chỉ" :
		    "nguoi.dung@example.org");
		/* an address the validation of the record takes as text */
		assert_int_equal(records_update(fx->s, registry_find("app_user"),
		    fx->users[i].id, in, 0, &sys, R_SYSTEM, NULL, &e), 0);
		json_decref(in);
	}
	buf_init(&log, 1u << 16);
	assert_int_equal(remind_send_all(fx->s, &cfg, TODAY, &sum, &log, &e), 0);
	assert_int_equal(sum.users, U_COUNT);
	assert_int_equal(sum.sent, 0);
	assert_int_equal(sum.failed, 2);      /* Si Ma Cai, the national viewer */
	assert_int_equal(sum.bad_address, 1); /* the commune's                  */
	assert_int_equal(sum.nothing, 1);     /* Xín Mần                        */
	assert_non_null(strstr(log.data, "r_xinman: không có việc đến hạn"));
	for (i = 0; i < U_COUNT; i++) {
		assert_int_equal(store_digest_claim(fx->s, fx->users[i].id, TODAY, 1, &e), 1);
		assert_int_equal(store_digest_release(fx->s, fx->users[i].id, TODAY, &e), 0);
	}
	/* one user only */
	cfg.only_login = "r_simacai";
	assert_int_equal(remind_send_all(fx->s, &cfg, TODAY, &sum, NULL, &e), 0);
	assert_int_equal(sum.users, 1);
	assert_int_equal(sum.failed, 1);
	buf_free(&log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect_every_kind_in_order),
		cmocka_unit_test(test_each_users_own),
		cmocka_unit_test(test_count_follows_the_data),
		cmocka_unit_test(test_items_are_capped),
		cmocka_unit_test(test_digest_text),
		cmocka_unit_test(test_send_all_relay_down),
	};

	return cmocka_run_group_tests_name("remind", tests, setup, teardown);
}
