/* remind.c - see remind.h */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/coord.h"
#include "domain/duties.h"
#include "domain/mail.h"
#include "domain/records.h"
#include "domain/remind.h"
#include "schema/record.h"
#include "text/text.h"

/* Keys of an item that remind_for_user judges it by, never shown. */
#define K_ENTITY "_entity"  /* the record's entity name                 */
#define K_RECORD "_record"  /* the record                               */
#define K_UNITS  "_units"   /* units responsible for it (ids)           */
#define K_ORGS   "_orgs"    /* organisations responsible for it (ids)   */

/* ---- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of an ISO date (the civil calendar, no time zone),
 * or false when it is none. */
static bool
day_number(const char *iso, long *out)
{
	int y, m, d;
	long era, yoe, doy, doe;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !vi_iso_date_valid(iso))
		return false;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = era * 146097 + doe - 719468;
	return true;
}

static void
day_iso(long n, char out[CLOCK_DATE_LEN])
{
	long z = n + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	char tmp[64];

	/* years of four digits: the dates of the records */
	snprintf(tmp, sizeof(tmp), "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
	snprintf(out, CLOCK_DATE_LEN, "%.10s", tmp);
}

static void
add_days(const char *iso, long days, char out[CLOCK_DATE_LEN])
{
	long n;

	if (day_number(iso, &n))
		day_iso(n + days, out);
	else
		snprintf(out, CLOCK_DATE_LEN, "%s", iso ? iso : "");
}

/* ---- collecting ------------------------------------------------------------- */

struct collect {
	struct store *s;
	const char *today;
	char horizon[CLOCK_DATE_LEN];
	long today_n;
	json_t *items;
	struct err *e;
};

static json_t *
all_of(struct store *s, enum entity_id entity, enum field_id f, json_t *v,
    struct err *e)
{
	struct list_query q;
	json_t *rows;

	memset(&q, 0, sizeof(q));
	if (f != FLD_NONE)
		q.filters[q.nfilters++] = (struct list_filter){ field_name(f), OP_EQ, v };
	q.see_confidential = true;
	rows = store_list_all(s, entity_of(entity), &q, REMIND_ROWS_MAX, e);
	json_decref(v);
	return rows;
}

static json_t *
ids_of(int64_t a, int64_t b)
{
	json_t *out = json_array();

	if (a > 0)
		json_array_append_new(out, json_integer(a));
	if (b > 0 && b != a)
		json_array_append_new(out, json_integer(b));
	return out;
}

/* The title of a record, or "" (for the headlines). */
static const char *
title_of(struct store *s, enum entity_id entity, int64_t id, char *buf, size_t len)
{
	const struct entity_def *ent = entity_of(entity);
	json_t *rec = id > 0 ? store_get(s, ent, id, NULL) : NULL;

	snprintf(buf, len, "%s", rec ? rec_str(rec, ent->title_field) ?: "" : "");
	json_decref(rec);
	return buf;
}

/* One item, when due is overdue or within the horizon (due NULL: never
 * done, overdue). rec: the record (a reference is taken); units, orgs:
 * stolen. */
static void
add_item(struct collect *c, enum entity_id entity, const json_t *rec,
    const char *label, const char *headline, const char *detail,
    const char *due, json_t *units, json_t *orgs)
{
	const struct entity_def *ent = entity_of(entity);
	char href[96];
	long n = 0;
	bool overdue = due == NULL || strcmp(due, c->today) < 0;
	json_t *item;

	if (!overdue && strcmp(due, c->horizon) > 0) {
		json_decref(units);
		json_decref(orgs);
		return;
	}
	if (due != NULL && day_number(due, &n))
		n -= c->today_n;
	snprintf(href, sizeof(href), "/e/%s/%lld", ent->name,
	    (long long)rec_int(rec, "id"));
	item = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b, s:I, s:s, s:s, s:O, s:o, s:o}",
	    "category", ent->name, "category_label", label, "headline", headline,
	    "detail", detail, "due_on", due, "overdue", overdue,
	    "days", (json_int_t)(due ? n : 0), "href", href,
	    K_ENTITY, ent->name, K_RECORD, rec, K_UNITS, units, K_ORGS, orgs);
	if (item != NULL)
		json_array_append_new(c->items, item);
}

static int
collect_tasks(struct collect *c)
{
	json_t *tasks = all_of(c->s, ENT_TASK, FLD_NONE, NULL, c->e), *t;
	size_t i;

	if (tasks == NULL)
		return -1;
	json_array_foreach(tasks, i, t) {
		enum task_state st = coord_task_state(t, c->today);
		const char *dl = jrec_str(t, FLD_TASK_DEADLINE);
		char org[300], detail[400];
		if (st == TASK_DONE_ON_TIME || st == TASK_DONE_LATE || dl == NULL)
			continue;
		title_of(c->s, ENT_ORGANISATION, jrec_int(t, FLD_TASK_ASSIGNEE_ORG_ID),
		    org, sizeof(org));
		snprintf(detail, sizeof(detail), "%s%s", org[0] ? "Cơ quan thực hiện: " : "",
		    org);
		add_item(c, ENT_TASK, t, "Nhiệm vụ", jrec_str(t, FLD_TASK_TITLE),
		    detail[0] ? detail : NULL, dl,
		    ids_of(jrec_int(t, FLD_TASK_ASSIGNEE_UNIT_ID), 0),
		    ids_of(jrec_int(t, FLD_TASK_ASSIGNEE_ORG_ID), 0));
	}
	json_decref(tasks);
	return 0;
}

static int
collect_recommendations(struct collect *c)
{
	json_t *recs = all_of(c->s, ENT_RECOMMENDATION, FLD_RECOMMENDATION_STATUS,
	    json_string("submitted"), c->e), *r;
	size_t i;

	if (recs == NULL)
		return -1;
	json_array_foreach(recs, i, r) {
		char due[CLOCK_DATE_LEN], org[300], detail[400];
		const char *raised = jrec_str(r, FLD_RECOMMENDATION_RAISED_ON);
		if (raised == NULL)
			continue;
		add_days(raised, REMIND_ANSWER_DAYS, due);
		title_of(c->s, ENT_ORGANISATION, jrec_int(r, FLD_RECOMMENDATION_TO_ORG_ID),
		    org, sizeof(org));
		snprintf(detail, sizeof(detail), "Chờ trả lời%s%s", org[0] ? " của " : "",
		    org);
		add_item(c, ENT_RECOMMENDATION, r, "Kiến nghị chờ trả lời",
		    jrec_str(r, FLD_RECOMMENDATION_TITLE), detail, due,
		    json_array(), ids_of(jrec_int(r, FLD_RECOMMENDATION_TO_ORG_ID), 0));
	}
	json_decref(recs);
	return 0;
}

static int
collect_briefings(struct collect *c)
{
	json_t *due = coord_clusters_due(c->s, 0, c->today, c->e), *d;
	size_t i, j;

	if (due == NULL)
		return -1;
	json_array_foreach(due, i, d) {
		int64_t id = jrec_int(d, FLD_MEETING_CLUSTER_ID);
		const char *next = json_string_value(json_object_get(d, "next_due_on"));
		const char *last = jrec_str(d, FLD_CLUSTER_LAST_BRIEFING_ON);
		json_t *cluster, *members, *m, *units;
		char detail[120];
		if (!json_is_true(json_object_get(d, "overdue")) &&
		    (next == NULL || strcmp(next, c->horizon) > 0))
			continue;
		if ((cluster = store_get(c->s, entity_of(ENT_CLUSTER), id, NULL)) == NULL)
			continue;
		members = all_of(c->s, ENT_CLUSTER_MEMBER, FLD_CLUSTER_MEMBER_CLUSTER_ID,
		    json_integer(id), c->e);
		if (members == NULL) {
			json_decref(cluster);
			json_decref(due);
			return -1;
		}
		units = json_array();
		json_array_foreach(members, j, m)
			if (jrec_int(m, FLD_CLUSTER_MEMBER_UNIT_ID) > 0)
				json_array_append_new(units,
				    json_integer(jrec_int(m, FLD_CLUSTER_MEMBER_UNIT_ID)));
		json_decref(members);
		if (last != NULL)
			snprintf(detail, sizeof(detail), "Giao ban gần nhất: %.2s/%.2s/%.4s",
			    last + 8, last + 5, last);
		else
			snprintf(detail, sizeof(detail), "Chưa giao ban lần nào");
		add_item(c, ENT_CLUSTER, cluster, "Giao ban cụm",
		    jrec_str(d, FLD_CLUSTER_NAME), detail, next, units, json_array());
		json_decref(cluster);
	}
	json_decref(due);
	return 0;
}

static int
collect_duties(struct collect *c, int year)
{
	json_t *st = duties_status(c->s, 0, year, c->today, c->e), *d, *p;
	size_t i, j;

	if (st == NULL)
		return -1;
	json_array_foreach(st, i, d) {
		int64_t id = json_integer_value(json_object_get(d, "duty_id"));
		json_t *duty = NULL;
		json_array_foreach(json_object_get(d, "periods"), j, p) {
			const char *state = json_string_value(json_object_get(p, "state"));
			const char *due = json_string_value(json_object_get(p, "due_on"));
			const char *per = jrec_str(p, FLD_INDICATOR_VALUE_PERIOD);
			char head[600], detail[300], plabel[64];
			struct vi_period vp;
			bool missing = state != NULL && strcmp(state, "missing") == 0;
			if (due == NULL || state == NULL || (!missing &&
			    (strcmp(state, "not_due") != 0 || strcmp(due, c->today) < 0 ||
			    strcmp(due, c->horizon) > 0)))
				continue;
			if (duty == NULL && (duty = store_get(c->s,
			    entity_of(ENT_REPORTING_DUTY), id, NULL)) == NULL)
				break;
			if (per == NULL || vi_parse_period(per, &vp) != 0 ||
			    vi_period_label(&vp, plabel, sizeof(plabel)) != 0)
				snprintf(plabel, sizeof(plabel), "%s", per ? per : "");
			snprintf(head, sizeof(head), "Báo cáo %s, %s",
			    json_string_value(json_object_get(json_object_get(d,
			    entity_of(ENT_TARGET_SET)->name), "title")) ?: "", plabel);
			snprintf(detail, sizeof(detail), "%s gửi %s%s",
			    json_string_value(json_object_get(json_object_get(d,
			    "reporter_unit"), "title")) ?: "",
			    json_string_value(json_object_get(json_object_get(d,
			    "recipient"), "title")) ?: "",
			    missing ? " — chưa báo cáo" : "");
			add_item(c, ENT_REPORTING_DUTY, duty, "Chế độ báo cáo", head, detail,
			    due, ids_of(jrec_int(duty, FLD_REPORTING_DUTY_REPORTER_UNIT_ID), 0),
			    ids_of(jrec_int(duty, FLD_REPORTING_DUTY_RECIPIENT_ORG_ID), 0));
		}
		json_decref(duty);
	}
	json_decref(st);
	return 0;
}

/* Overdue first (the longest overdue, never-done ones first of all), then
 * by due date; the kind and headline keep the order stable. */
static int
item_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *dx = json_string_value(json_object_get(x, "due_on"));
	const char *dy = json_string_value(json_object_get(y, "due_on"));
	int ox = json_is_true(json_object_get(x, "overdue"));
	int oy = json_is_true(json_object_get(y, "overdue"));
	int c;

	if (ox != oy)
		return oy - ox;
	if ((dx == NULL) != (dy == NULL))
		return dx == NULL ? -1 : 1;
	if (dx != NULL && (c = strcmp(dx, dy)) != 0)
		return c;
	if ((c = strcmp(json_string_value(json_object_get(x, "category")),
	    json_string_value(json_object_get(y, "category")))) != 0)
		return c;
	return strcmp(json_string_value(json_object_get(x, "headline")) ?: "",
	    json_string_value(json_object_get(y, "headline")) ?: "");
}

json_t *
remind_collect(struct store *s, const char *today, int days, struct err *e)
{
	struct collect c = { s, today, "", 0, json_array(), e };
	json_t **v, *out;
	size_t i, n;
	int year;

	if (c.items == NULL) {
		err_nomem(e);
		return NULL;
	}
	if (!day_number(today, &c.today_n)) {
		json_decref(c.items);
		err_set(e, ERR_BAD_REQUEST, "ngày không hợp lệ: '%.20s'", today ? today : "");
		return NULL;
	}
	add_days(today, days, c.horizon);
	year = atoi(today);
	/* last year's periods are reported in the first months of this one */
	if (collect_tasks(&c) != 0 || collect_recommendations(&c) != 0 ||
	    collect_briefings(&c) != 0 || collect_duties(&c, year - 1) != 0 ||
	    collect_duties(&c, year) != 0) {
		json_decref(c.items);
		return NULL;
	}
	n = json_array_size(c.items);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL) {
		json_decref(c.items);
		err_nomem(e);
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(c.items, i));
	qsort(v, n, sizeof(*v), item_cmp);
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_decref(c.items);
	return out;
}

/* ---- per user ------------------------------------------------------------------- */

static bool
covers(struct store *s, const struct user *u, const json_t *units,
    const json_t *orgs)
{
	const json_t *v;
	size_t i, k;

	for (i = 0; i < u->ngrants; i++) {
		const struct grant *g = &u->grants[i];
		if (g->national)
			return true;
		json_array_foreach(orgs, k, v)
			if (g->org_id > 0 && g->org_id == json_integer_value(v))
				return true;
		json_array_foreach(units, k, v)
			if (g->unit_id > 0 && store_unit_within(s, json_integer_value(v),
			    g->unit_id))
				return true;
	}
	return false;
}

json_t *
remind_for_user(struct store *s, const json_t *all, const struct user *u,
    size_t *total, struct err *e)
{
	json_t *out = json_array(), *it;
	size_t i, n = 0;

	if (out == NULL) {
		err_nomem(e);
		return NULL;
	}
	json_array_foreach(all, i, it) {
		const struct entity_def *ent = registry_find(json_string_value(
		    json_object_get(it, K_ENTITY)));
		const json_t *rec = json_object_get(it, K_RECORD);
		json_t *copy;
		const char *k;
		json_t *v;
		void *tmp;
		if (ent == NULL || !auth_can_read(s, u, ent, rec))
			continue;
		if (!covers(s, u, json_object_get(it, K_UNITS), json_object_get(it, K_ORGS)) &&
		    !auth_can_write(s, u, ent, rec, NULL))
			continue;
		if (n++ >= REMIND_ITEMS_MAX)
			continue;
		copy = json_object();
		json_object_foreach_safe((json_t *)it, tmp, k, v)
			if (k[0] != '_')
				json_object_set(copy, k, v);
		json_array_append_new(out, copy);
	}
	if (total != NULL)
		*total = n;
	return out;
}

/* ---- the count of the bell --------------------------------------------------------- */

struct count_slot {
	int64_t user_id;
	uint64_t version;
	char day[CLOCK_DATE_LEN];
	int days;
	long count;
};

static struct count_slot counts[REMIND_CACHE_SLOTS];
/* the last collection, shared by the users' counts of the same data and
 * day: a write makes every user's count stale at once, and each would
 * collect the same items again (jansson's reference counts are atomic, and
 * a collection is not changed once made) */
static struct {
	json_t *all;
	uint64_t version;
	char day[CLOCK_DATE_LEN];
	int days;
} shared;
static pthread_mutex_t counts_lock = PTHREAD_MUTEX_INITIALIZER;

static json_t *
collect_shared(struct store *s, const char *today, int days, uint64_t version,
    struct err *e)
{
	json_t *all = NULL;

	pthread_mutex_lock(&counts_lock);
	if (shared.all != NULL && shared.version == version && shared.days == days &&
	    strcmp(shared.day, today) == 0)
		all = json_incref(shared.all);
	pthread_mutex_unlock(&counts_lock);
	if (all != NULL || (all = remind_collect(s, today, days, e)) == NULL)
		return all;
	pthread_mutex_lock(&counts_lock);
	json_decref(shared.all);
	shared.all = json_incref(all);
	shared.version = version;
	shared.days = days;
	snprintf(shared.day, sizeof(shared.day), "%s", today);
	pthread_mutex_unlock(&counts_lock);
	return all;
}

long
remind_count(struct store *s, const struct user *u, const char *today, int days,
    struct err *e)
{
	/* read before the items: a write meanwhile makes the count stale
	 * under a version that is already old */
	uint64_t version = store_data_version(s);
	struct count_slot *slot = &counts[(uint64_t)u->id % REMIND_CACHE_SLOTS];
	json_t *all, *mine;
	size_t total = 0;
	long n = -1;

	pthread_mutex_lock(&counts_lock);
	if (slot->user_id == u->id && slot->version == version && slot->days == days &&
	    strcmp(slot->day, today) == 0)
		n = slot->count;
	pthread_mutex_unlock(&counts_lock);
	if (n >= 0)
		return n;
	if ((all = collect_shared(s, today, days, version, e)) == NULL)
		return -1;
	mine = remind_for_user(s, all, u, &total, e);
	json_decref(all);
	if (mine == NULL)
		return -1;
	json_decref(mine);
	pthread_mutex_lock(&counts_lock);
	slot->user_id = u->id;
	slot->version = version;
	slot->days = days;
	snprintf(slot->day, sizeof(slot->day), "%s", today);
	slot->count = (long)total;
	pthread_mutex_unlock(&counts_lock);
	return (long)total;
}

/* ---- the digest -------------------------------------------------------------------- */

static void
date_vi(struct buf *b, const char *iso)
{
	if (iso == NULL || strlen(iso) < 10)
		buf_adds(b, "–");
	else
		buf_addf(b, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void
item_lines(struct buf *out, const json_t *it, const char *site_url)
{
	const char *due = json_string_value(json_object_get(it, "due_on"));
	const char *detail = json_string_value(json_object_get(it, "detail"));
	long days = (long)json_integer_value(json_object_get(it, "days"));

	buf_addf(out, "- [%s] %s\n  ",
	    json_string_value(json_object_get(it, "category_label")),
	    json_string_value(json_object_get(it, "headline")) ?: "");
	if (due == NULL) {
		buf_adds(out, "chưa có lần nào");
	} else {
		buf_adds(out, "hạn ");
		date_vi(out, due);
		if (days < 0)
			buf_addf(out, " (quá hạn %ld ngày)", -days);
		else if (days == 0)
			buf_adds(out, " (hôm nay)");
		else
			buf_addf(out, " (còn %ld ngày)", days);
	}
	if (detail != NULL)
		buf_addf(out, " · %s", detail);
	buf_addf(out, "\n  %s%s\n", site_url ? site_url : "",
	    json_string_value(json_object_get(it, "href")));
}

void
remind_digest_text(const json_t *items, size_t total, const char *name,
    const char *today, int days, const char *site_url, struct buf *out)
{
	const json_t *it;
	size_t i, late = 0;

	json_array_foreach(items, i, it)
		late += json_is_true(json_object_get(it, "overdue"));
	buf_addf(out, "Kính gửi %s,\n\n", name && *name ? name : "đồng chí");
	buf_adds(out, "Hệ thống giapranh nhắc việc ngày ");
	date_vi(out, today);
	buf_addf(out, ": %zu việc quá hạn, %zu việc đến hạn trong %d ngày tới.\n",
	    late, json_array_size(items) - late, days);
	if (late > 0) {
		buf_adds(out, "\nQUÁ HẠN\n");
		json_array_foreach(items, i, it)
			if (json_is_true(json_object_get(it, "overdue")))
				item_lines(out, it, site_url);
	}
	if (json_array_size(items) > late) {
		buf_adds(out, "\nSẮP ĐẾN HẠN\n");
		json_array_foreach(items, i, it)
			if (!json_is_true(json_object_get(it, "overdue")))
				item_lines(out, it, site_url);
	}
	if (total > json_array_size(items))
		buf_addf(out, "\n… và %zu việc khác: xem %s/notifications\n",
		    total - json_array_size(items), site_url ? site_url : "");
	buf_adds(out, "\nThư này được gửi tự động mỗi ngày một lần; "
	    "xem và theo dõi tại trang Thông báo của hệ thống.\n");
}

/* ---- sending --------------------------------------------------------------------- */

static void
log_line(struct buf *log, const char *login, const char *what)
{
	if (log != NULL)
		buf_addf(log, "%s: %s\n", login, what);
}

/* One user's digest: 1 sent, 0 nothing to do, -1 the database failed. */
static int
send_one(struct store *s, const struct remind_mail *cfg, const char *today,
    const json_t *all, const json_t *urec, struct remind_summary *sum,
    struct buf *log, struct err *e)
{
	const char *login = jrec_str(urec, FLD_APP_USER_LOGIN);
	const char *addr = jrec_str(urec, FLD_APP_USER_EMAIL);
	const char *name = jrec_str(urec, FLD_APP_USER_DISPLAY_NAME);
	struct user u;
	struct err me = { 0 };
	struct buf body;
	char subject[200];
	json_t *items;
	size_t total = 0;
	int claimed, rc = 0;

	if (auth_user_by_login(s, login, &u, e) != 0)
		return -1;
	if ((items = remind_for_user(s, all, &u, &total, e)) == NULL)
		return -1;
	if (json_array_size(items) == 0) {
		sum->nothing++;
		log_line(log, login, "không có việc đến hạn");
		json_decref(items);
		return 0;
	}
	if (!mail_address_ok(addr)) {
		sum->bad_address++;
		log_line(log, login, "địa chỉ thư điện tử không hợp lệ");
		json_decref(items);
		return 0;
	}
	if ((claimed = store_digest_claim(s, u.id, today, (long)total, e)) < 0) {
		json_decref(items);
		return -1;
	}
	if (claimed == 0) {
		sum->already++;
		log_line(log, login, "đã gửi hôm nay");
		json_decref(items);
		return 0;
	}
	buf_init(&body, MAIL_MESSAGE_MAX / 2);
	remind_digest_text(items, total, name ? name : login, today, cfg->days,
	    cfg->site_url, &body);
	snprintf(subject, sizeof(subject), "[giapranh] Nhắc việc ngày %.2s/%.2s/%.4s: "
	    "%zu việc", today + 8, today + 5, today, total);
	{
		struct mail m = { cfg->from, cfg->from_name, addr, name, subject,
			buf_str(&body) };
		if (buf_failed(&body) || mail_send(cfg->smtp_url, &m, &me) != 0) {
			/* given back: a later run tries again */
			sum->failed++;
			log_line(log, login, me.msg[0] ? me.msg : "thư quá dài");
			if (store_digest_release(s, u.id, today, e) != 0)
				rc = -1;
		} else {
			sum->sent++;
			log_line(log, login, "đã gửi");
			rc = 1;
		}
	}
	err_clear(&me);
	buf_free(&body);
	json_decref(items);
	return rc;
}

int
remind_send_all(struct store *s, const struct remind_mail *cfg,
    const char *today, struct remind_summary *sum, struct buf *log,
    struct err *e)
{
	json_t *users, *all, *urec;
	size_t i;
	int rc = 0;

	memset(sum, 0, sizeof(*sum));
	if ((all = remind_collect(s, today, cfg->days, e)) == NULL)
		return -1;
	users = all_of(s, ENT_APP_USER, cfg->only_login ? FLD_APP_USER_LOGIN : FLD_NONE,
	    cfg->only_login ? json_string(cfg->only_login) : NULL, e);
	if (users == NULL) {
		json_decref(all);
		return -1;
	}
	json_array_foreach(users, i, urec) {
		const char *addr = jrec_str(urec, FLD_APP_USER_EMAIL);
		if (json_is_false(jrec_get(urec, FLD_APP_USER_ACTIVE)) || addr == NULL ||
		    *addr == '\0')
			continue;
		sum->users++;
		if (send_one(s, cfg, today, all, urec, sum, log, e) < 0) {
			rc = -1;
			break;
		}
	}
	json_decref(users);
	json_decref(all);
	return rc;
}
