/*
 * pages_notify.c - "Thông báo" (issue 17): GET /notifications[?days=N], the
 * items of domain/remind.h the signed-in user is responsible for - overdue,
 * then due within N days - which the bell of every page counts and the
 * daily digest mails.  Every signed-in user has the page (a viewer follows
 * too); it writes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/remind.h"
#include "pages/notify_tmpl.h"
#include "pages/pages.h"
#include "schema/record.h"
#include "web/error_page.h"
#include "web/page.h"

#define SECTION "Thông báo"

/* The horizons offered (REMIND_DAYS_DEFAULT among them). */
static const int day_choices[] = { 3, REMIND_DAYS_DEFAULT, 14, 30, REMIND_DAYS_MAX };

static void
get_notifications(struct request *r)
{
	char today[CLOCK_DATE_LEN];
	int64_t days = REMIND_DAYS_DEFAULT;
	json_t *all, *items, *v, *choices, *urec, *it;
	struct err e = { 0 };
	struct page pg;
	size_t total = 0, i, late = 0;

	if (req_query_int(r, "days", 0, REMIND_DAYS_MAX, &days) < 0)
		return;
	clock_today(today);
	if ((all = remind_collect(r->store, today, (int)days, &e)) == NULL ||
	    (items = remind_for_user(r->store, all, &r->user, &total, &e)) == NULL) {
		json_decref(all);
		resp_error_for(r, true, e.code, "%s", e.msg);
		err_clear(&e);
		return;
	}
	json_decref(all);
	json_array_foreach(items, i, it)
		late += json_is_true(json_object_get(it, "overdue"));
	choices = json_array();
	for (i = 0; i < sizeof(day_choices) / sizeof(day_choices[0]); i++)
		json_array_append_new(choices, json_integer(day_choices[i]));
	if (days != REMIND_DAYS_DEFAULT && days != 3 && days != 14 && days != 30 &&
	    days != REMIND_DAYS_MAX)
		json_array_append_new(choices, json_integer(days));
	urec = store_get(r->store, entity_of(ENT_APP_USER), r->user.id, NULL);
	v = json_pack("{s:o, s:I, s:I, s:I, s:I, s:s, s:o, s:s?}", "items", items,
	    "total", (json_int_t)total, "late", (json_int_t)late,
	    "soon", (json_int_t)(json_array_size(items) - late), "days", (json_int_t)days,
	    "today", today, "choices", choices,
	    "mail_to", urec ? jrec_str(urec, FLD_APP_USER_EMAIL) : NULL);
	json_decref(urec);
	if (v == NULL) {
		page_error(r, 503, "hết bộ nhớ");
		return;
	}
	page_init(r, &pg, SECTION, SECTION);
	notify_page(&r->out, &pg, v);
	page_done(r, 200);
	json_decref(v);
}

const struct route notify_routes[] = {
	{ M_GET | M_HEAD, "/notifications", get_notifications, RT_HTML },
	{ 0, NULL, NULL, 0 },
};
