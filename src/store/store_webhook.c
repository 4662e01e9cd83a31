/*
 * store_webhook.c - the statements of the webhook outbox (domain/webhook.c,
 * docs/WEBHOOKS.md) that the generic ones cannot make: a webhook's secret
 * (F_SECRET: never read by store_get), taking a delivery so that two
 * senders never send the same one, and an attempt's outcome.  Portable
 * SQL (UPDATE ... RETURNING: SQLite 3.35, PostgreSQL).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

struct secret_ctx {
	char *secret;
	bool nomem;
};

static int
secret_row(void *ctx, int n, const struct db_value *c)
{
	struct secret_ctx *sc = ctx;

	if (n < 1 || c[0].type != DB_TEXT)
		return 1;
	if ((sc->secret = strdup(c[0].s)) == NULL)
		sc->nomem = true;
	return 1;
}

int
store_webhook_secret(struct store *s, int64_t id, char **secret, struct err *e)
{
	struct db_value p = dbv_int(id);
	struct secret_ctx sc = { NULL, false };

	*secret = NULL;
	if (store_query(s, "SELECT secret FROM webhook WHERE id = ?", &p, 1,
	    secret_row, &sc, e) != 0)
		return -1;
	if (sc.nomem)
		return err_nomem(e);
	*secret = sc.secret;
	return 0;
}

static int
taken_row(void *ctx, int n, const struct db_value *c)
{
	(void)n;
	(void)c;
	*(bool *)ctx = true;
	return 0;
}

int
store_webhook_claim(struct store *s, int64_t id, int64_t attempts,
    const char *lease_until, const char *now, bool *taken, struct err *e)
{
	struct db_value p[4] = { dbv_text(lease_until), dbv_text(now), dbv_int(id),
		dbv_int(attempts) };

	*taken = false;
	/* only the sender that saw this count of attempts takes it */
	return store_query(s, "UPDATE webhook_delivery SET attempts = "
	    "COALESCE(attempts, 0) + 1, next_attempt_at = ?, updated_at = ?, "
	    "version = version + 1 WHERE id = ? AND status = 'pending' AND "
	    "COALESCE(attempts, 0) = ? RETURNING id", p, 4, taken_row, taken, e);
}

int
store_webhook_outcome(struct store *s, int64_t id,
    const struct store_webhook_outcome *o, struct err *e)
{
	struct db_value p[7] = { dbv_text(o->status),
		o->http_status > 0 ? dbv_int(o->http_status) : (struct db_value){ DB_NULL, 0, 0, NULL },
		o->error ? dbv_text(o->error) : (struct db_value){ DB_NULL, 0, 0, NULL },
		o->next_attempt_at ? dbv_text(o->next_attempt_at) :
		    (struct db_value){ DB_NULL, 0, 0, NULL },
		o->delivered_at ? dbv_text(o->delivered_at) :
		    (struct db_value){ DB_NULL, 0, 0, NULL },
		dbv_text(o->now), dbv_int(id) };

	return store_query(s, "UPDATE webhook_delivery SET status = ?, last_status = ?, "
	    "last_error = ?, next_attempt_at = ?, delivered_at = ?, updated_at = ?, "
	    "version = version + 1 WHERE id = ?", p, 7, NULL, NULL, e);
}
