/*
 * remind.h - reminders (issue 17): what falls due within N days, or is
 * overdue, for the users responsible for it -
 *   reporting duties   a period's report missing past its day, or due soon
 *                      (duties.h), for the reporting unit and the office
 *                      that receives it;
 *   briefings          a cluster's periodic briefing (coord.h), for its
 *                      member communes and whoever keeps the cluster;
 *   tasks              not done by their deadline, for the assignee
 *                      organisation or unit and whoever keeps the task;
 *   recommendations    waiting for an answer REMIND_ANSWER_DAYS after they
 *                      were raised, for the organisation they went to and
 *                      whoever keeps them.
 * "Responsible" is: the user may write the record, or one of the user's
 * grants covers the unit or organisation named above (a national grant
 * covers all); and the user may read the record (confidential, admin-only).
 *
 * Shown in the app (the bell of the header and /notifications) and mailed
 * once a day as a digest (remind_send_all): a user's digest of a day is
 * claimed in the database before it is sent (store_digest_claim), so a
 * second run that day - the command line's or the server's - sends
 * nothing to that user.
 *
 * An item is {category, category_label, headline, detail, due_on (ISO or
 * null: never done), overdue, days (from today: negative = days late),
 * href}.  Dates are ISO "YYYY-MM-DD".
 */
#ifndef GIAPRANH_REMIND_H
#define GIAPRANH_REMIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"
#include "domain/auth.h" /* struct user */
#include "store/store.h"

/* A recommendation waits this many days for its answer before it is
 * overdue (it has no deadline of its own). */
#define REMIND_ANSWER_DAYS 30

/* Every item of the system due from today to today + days, or overdue,
 * sorted: overdue first, then by due date.  Each also carries what
 * remind_for_user judges it by (keys starting with '_'). */
json_t *remind_collect(struct store *s, const char *today, int days,
    struct err *e);

/* The items of all that u is responsible for (above), without the keys
 * starting with '_', at most REMIND_ITEMS_MAX; *total (when not NULL) gets
 * how many there were before the cut. */
json_t *remind_for_user(struct store *s, const json_t *all,
    const struct user *u, size_t *total, struct err *e);

/* How many items u has (remind_for_user's total) as of today: the bell
 * of every page.  Remembered per user while the store's data version
 * (store_data_version) and the day stay the same (REMIND_CACHE_SLOTS
 * users), so that a page costs a lookup, not a collection.  -1 with e
 * when the database failed. */
long remind_count(struct store *s, const struct user *u, const char *today,
    int days, struct err *e);

/* The digest's text (Vietnamese): a greeting, the overdue items, the items
 * due soon, each with its link (site_url + href, or href alone when
 * site_url is NULL). */
void remind_digest_text(const json_t *items, size_t total, const char *name,
    const char *today, int days, const char *site_url, struct buf *out);

/* How remind_send_all mails. */
struct remind_mail {
	const char *smtp_url;  /* smtp://host:port (mail.h)                   */
	const char *from;      /* the sender's address                        */
	const char *from_name; /* its display name, or NULL                   */
	const char *site_url;  /* the links' base ("https://giapranh.gov.vn"), or NULL */
	int days;              /* the horizon, N                              */
	const char *only_login;/* one user only (NULL: all)                   */
};

/* What a run did. */
struct remind_summary {
	long users;      /* active users with an address                     */
	long sent;       /* digests sent                                      */
	long already;    /* digests of today sent before (nothing sent)       */
	long nothing;    /* users with nothing due                            */
	long failed;     /* the relay refused or could not be reached         */
	long bad_address;/* an address no mail can go to                      */
};

/* The digest of `today` to every active user with an e-mail address and
 * something due, once per user and day.  A failed mail gives its claim
 * back (a later run tries again) and is counted; -1 only when the database
 * failed (e).  log (when not NULL) gets one line per user. */
int remind_send_all(struct store *s, const struct remind_mail *cfg,
    const char *today, struct remind_summary *sum, struct buf *log,
    struct err *e);

#endif
