/* webhook.c - see webhook.h */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/clock.h"
#include "domain/webhook.h"
#include "domain/workflow.h"
#include "schema/record.h"

/* The body's keys that are no field of a webhook_delivery (those that are
 * come from field_name: the body says what the delivery row says). */
#define KEY_EVENT    "event"
#define KEY_AT       "occurred_at"
#define KEY_RECORD   "record"
#define KEY_HIDDEN   "content_withheld"
#define KEY_MOVE     "workflow"
#define KEY_FROM     "from"
#define KEY_TO       "to"
#define STATUS_PENDING   "pending"
#define STATUS_DELIVERED "delivered"
#define STATUS_FAILED    "failed"

/* ---- which webhooks take which entity -------------------------------------- */

/* Never sent: the logs (their records tell of other records' events) and
 * the webhooks' own tables. */
static bool
never_sent(const struct entity_def *ent)
{
	return (ent->flags & E_READONLY) || ent == entity_of(ENT_WEBHOOK) ||
	    ent == entity_of(ENT_WEBHOOK_DELIVERY);
}

bool
webhook_filter_takes(const char *filter, const struct entity_def *ent)
{
	const char *p = filter, *q;
	size_t n, len = strlen(ent->name);
	bool any = false;

	if (never_sent(ent))
		return false;
	while (p != NULL && *p != '\0') {
		while (*p == ';' || *p == ',' || isspace((unsigned char)*p))
			p++;
		for (q = p; *q != '\0' && *q != ';' && *q != ',' &&
		    !isspace((unsigned char)*q); q++)
			;
		n = (size_t)(q - p);
		if (n > 0) {
			any = true;
			if (n == len && strncmp(p, ent->name, n) == 0)
				return true;
		}
		p = q;
	}
	/* no names: every entity everyone with a grant may read */
	return !any && !(ent->flags & E_ADMIN);
}

/* ---- queueing, in the write's transaction ---------------------------------- */

static void
stamp_at(time_t t, char out[CLOCK_TIMESTAMP_LEN])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, CLOCK_TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
new_uuid(char out[WEBHOOK_UUID_LEN])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, WEBHOOK_UUID_LEN, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
	    b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Whether a reader without clearance could not see the record now. */
static int
hidden(struct store *s, const struct entity_def *ent, int64_t id, bool *out,
    struct err *e)
{
	int seen;

	*out = false;
	if (!store_may_be_confidential(ent))
		return 0;
	if ((seen = store_exists_visible(s, ent, id, false, e)) < 0)
		return -1;
	*out = seen == 0;
	return 0;
}

/* The body of one delivery (its id inside), or NULL when out of memory. */
static char *
payload(const struct entity_def *ent, const char *event, const char *uuid,
    const char *at, int64_t id, const json_t *rec, bool conf, const char *wf,
    const json_t *before, const struct actor *who)
{
	json_t *o;
	char *text;

	o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s?, s:b}", KEY_EVENT, event,
	    field_name(FLD_WEBHOOK_DELIVERY_DELIVERY_ID), uuid, KEY_AT, at,
	    field_name(FLD_WEBHOOK_DELIVERY_ENTITY), ent->name,
	    field_name(FLD_WEBHOOK_DELIVERY_RECORD_ID), (json_int_t)id,
	    field_name(FLD_AUDIT_LOG_ACTOR), who ? who->name : NULL, KEY_HIDDEN, conf);
	if (o == NULL)
		return NULL;
	/* the content only of what anyone with a grant may read */
	if (json_object_set_new(o, KEY_RECORD, !conf && rec != NULL ?
	    json_deep_copy(rec) : json_null()) != 0) {
		json_decref(o);
		return NULL;
	}
	if (wf != NULL && !conf && json_object_set_new(o, KEY_MOVE, json_pack(
	    "{s:s, s:o, s:o}", "field", wf, KEY_FROM,
	    json_deep_copy(json_object_get(before, wf)), KEY_TO,
	    json_deep_copy(json_object_get(rec, wf)))) != 0) {
		json_decref(o);
		return NULL;
	}
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return text;
}

int
webhook_enqueue(struct store *s, const struct entity_def *ent,
    const char *action, int64_t id, const json_t *before, const json_t *after,
    const struct actor *who, struct err *e)
{
	const struct entity_def *hooks = entity_of(ENT_WEBHOOK);
	const struct entity_def *out = entity_of(ENT_WEBHOOK_DELIVERY);
	const char *event = NULL, *wf = NULL;
	char now[CLOCK_TIMESTAMP_LEN];
	struct list_query q;
	json_t *rows = NULL, *h, *on = json_true();
	bool conf = false;
	size_t i;
	int rc = -1;

	if (never_sent(ent))
		return 0;
	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_WEBHOOK_ACTIVE), OP_EQ, on };
	q.nfilters = 1;
	q.limit = WEBHOOKS_MAX;
	if (store_list(s, hooks, &q, &rows, NULL, e) != 0)
		return -1;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return 0;
	}
	if (strcmp(action, "create") == 0) {
		event = WEBHOOK_CREATED;
	} else if (strcmp(action, "delete") == 0) {
		event = WEBHOOK_DELETED;
		conf = true; /* the record is gone: no content, nothing to judge */
	} else {
		const char *f = workflow_field(ent);
		const json_t *b = json_object_get(before, f ? f : ""),
		    *a = json_object_get(after, f ? f : "");
		event = WEBHOOK_UPDATED;
		if (f != NULL && json_is_string(a) && !json_equal(b, a)) {
			event = WEBHOOK_MOVED;
			wf = f;
		}
	}
	if (after != NULL && hidden(s, ent, id, &conf, e) != 0)
		goto done;
	clock_timestamp(now);
	json_array_foreach(rows, i, h) {
		char uuid[WEBHOOK_UUID_LEN], *body;
		json_t *rec;
		int ok;
		if (!webhook_filter_takes(jrec_str(h, FLD_WEBHOOK_ENTITY_FILTER), ent))
			continue;
		new_uuid(uuid);
		body = payload(ent, event, uuid, now, id, after, conf, wf, before, who);
		if (body == NULL) {
			err_nomem(e);
			goto done;
		}
		rec = json_pack("{s:O, s:s, s:s, s:s, s:I, s:s, s:s, s:i, s:s}",
		    field_name(FLD_WEBHOOK_DELIVERY_WEBHOOK_ID), json_object_get(h, "id"),
		    field_name(FLD_WEBHOOK_DELIVERY_DELIVERY_ID), uuid,
		    field_name(FLD_WEBHOOK_DELIVERY_KIND), event,
		    field_name(FLD_WEBHOOK_DELIVERY_ENTITY), ent->name,
		    field_name(FLD_WEBHOOK_DELIVERY_RECORD_ID), (json_int_t)id,
		    field_name(FLD_WEBHOOK_DELIVERY_PAYLOAD), body,
		    field_name(FLD_WEBHOOK_DELIVERY_STATUS), STATUS_PENDING,
		    field_name(FLD_WEBHOOK_DELIVERY_ATTEMPTS), 0,
		    field_name(FLD_WEBHOOK_DELIVERY_NEXT_ATTEMPT_AT), now);
		free(body);
		if (rec == NULL) {
			err_nomem(e);
			goto done;
		}
		ok = store_insert(s, out, rec, NULL, e);
		json_decref(rec);
		if (ok != 0)
			goto done;
	}
	rc = 0;
done:
	json_decref(rows);
	return rc;
}

/* ---- signing ------------------------------------------------------------------ */

void
webhook_sign(const char *secret, const char *timestamp, const char *body,
    size_t len, char out[WEBHOOK_SIGNATURE_LEN])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)timestamp,
	    strlen(timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, WEBHOOK_SIGNATURE_LEN - 7, mac, sizeof(mac));
	sodium_memzero(&st, sizeof(st));
}

long
webhook_backoff_s(int attempts)
{
	const char *t = getenv("GIAPRANH_TEST_WEBHOOK_BACKOFF_S");
	long wait = WEBHOOK_BACKOFF_FIRST_S, first;
	char *end;
	int i;

	if (t != NULL && (first = strtol(t, &end, 10)) > 0 && *end == '\0' &&
	    first <= WEBHOOK_BACKOFF_MAX_S)
		wait = first;
	for (i = 1; i < attempts && wait < WEBHOOK_BACKOFF_MAX_S; i++)
		wait *= 2;
	return wait < WEBHOOK_BACKOFF_MAX_S ? wait : WEBHOOK_BACKOFF_MAX_S;
}

/* ---- sending -------------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

static void
curl_start(void)
{
	curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n; /* the answer's body is not kept: its status is */
}

/* One POST; *status the HTTP status (0 when there was no answer), error
 * what went wrong ("" when the answer came).  -1 when it could not even
 * be tried (memory). */
static int
post(const char *url, const char *secret, const char *event, const char *uuid,
    const char *body, long *status, char *error, size_t errlen)
{
	char sig[WEBHOOK_SIGNATURE_LEN], ts[24], hdr[160], cerr[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL, *n;
	CURL *c;
	CURLcode rc;
	size_t i;
	const char *lines[6];

	*status = 0;
	error[0] = '\0';
	pthread_once(&curl_once, curl_start);
	if (!curl_ready || (c = curl_easy_init()) == NULL)
		return -1;
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	webhook_sign(secret, ts, body, strlen(body), sig);
	lines[0] = "Content-Type: application/json";
	lines[1] = "User-Agent: giapranh-webhook/1";
	for (i = 2; i < 6; i++)
		lines[i] = NULL;
	for (i = 0; i < 6; i++) {
		if (i == 2)
			snprintf(hdr, sizeof(hdr), "X-Giapranh-Event: %s", event);
		else if (i == 3)
			snprintf(hdr, sizeof(hdr), "X-Giapranh-Delivery: %s", uuid);
		else if (i == 4)
			snprintf(hdr, sizeof(hdr), "X-Giapranh-Timestamp: %s", ts);
		else if (i == 5)
			snprintf(hdr, sizeof(hdr), "X-Giapranh-Signature: %s", sig);
		if ((n = curl_slist_append(h, i < 2 ? lines[i] : hdr)) == NULL) {
			curl_slist_free_all(h);
			curl_easy_cleanup(c);
			return -1;
		}
		h = n;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	/* http and https only, no redirect followed, signals left alone
	 * (a thread of the server) */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)WEBHOOK_CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		if (*status < 200 || *status > 299)
			snprintf(error, errlen, "máy nhận trả lời HTTP %ld", *status);
	} else {
		snprintf(error, errlen, "không gửi được: %s", cerr[0] ? cerr :
		    curl_easy_strerror(rc));
	}
	sodium_memzero(sig, sizeof(sig));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return 0;
}

/* Send one delivery taken for this attempt; its outcome is kept. */
static int
attempt(struct store *s, const json_t *d, int attempts, struct err *e)
{
	char now_s[CLOCK_TIMESTAMP_LEN], next[CLOCK_TIMESTAMP_LEN],
	    error[WEBHOOK_ERROR_MAX + 1] = "";
	struct store_webhook_outcome o = { STATUS_PENDING, 0, NULL, NULL, NULL, now_s };
	int64_t hook = json_integer_value(jrec_get(d, FLD_WEBHOOK_DELIVERY_WEBHOOK_ID));
	const char *url = NULL;
	json_t *h = NULL;
	char *secret = NULL;
	long status = 0;
	int rc;

	h = store_get(s, entity_of(ENT_WEBHOOK), hook, NULL);
	if (h != NULL)
		url = jrec_str(h, FLD_WEBHOOK_TARGET_URL);
	if (h == NULL || !json_is_true(jrec_get(h, FLD_WEBHOOK_ACTIVE))) {
		snprintf(error, sizeof(error), "webhook không còn dùng");
		attempts = WEBHOOK_ATTEMPTS_MAX;
	} else if (store_webhook_secret(s, hook, &secret, e) != 0) {
		json_decref(h);
		return -1;
	} else if (secret == NULL || *secret == '\0') {
		snprintf(error, sizeof(error), "webhook chưa có khóa bí mật để ký");
		attempts = WEBHOOK_ATTEMPTS_MAX;
	} else if (url == NULL || (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)) {
		snprintf(error, sizeof(error), "địa chỉ phải bắt đầu bằng http:// hoặc "
		    "https://");
		attempts = WEBHOOK_ATTEMPTS_MAX;
	} else if (post(url, secret, jrec_str(d, FLD_WEBHOOK_DELIVERY_KIND),
	    jrec_str(d, FLD_WEBHOOK_DELIVERY_DELIVERY_ID),
	    jrec_str(d, FLD_WEBHOOK_DELIVERY_PAYLOAD), &status, error,
	    sizeof(error)) != 0) {
		snprintf(error, sizeof(error), "không gửi được: hết bộ nhớ");
	}
	if (secret != NULL) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
	clock_timestamp(now_s);
	o.http_status = (int)status;
	if (error[0] == '\0') {
		o.status = STATUS_DELIVERED;
		o.delivered_at = now_s;
	} else if (attempts >= WEBHOOK_ATTEMPTS_MAX) {
		o.status = STATUS_FAILED;
		o.error = error;
	} else {
		stamp_at(time(NULL) + webhook_backoff_s(attempts), next);
		o.error = error;
		o.next_attempt_at = next;
	}
	rc = store_webhook_outcome(s, json_integer_value(json_object_get(d, "id")), &o, e);
	json_decref(h);
	return rc;
}

int
webhook_deliver_due(struct store *s, struct err *e)
{
	const struct entity_def *out = entity_of(ENT_WEBHOOK_DELIVERY);
	char now[CLOCK_TIMESTAMP_LEN], lease[CLOCK_TIMESTAMP_LEN];
	json_t *rows = NULL, *d, *pending, *nowv;
	struct list_query q;
	size_t i;
	int tried = 0;

	clock_timestamp(now);
	pending = json_string(STATUS_PENDING);
	nowv = json_string(now);
	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_WEBHOOK_DELIVERY_STATUS),
		OP_EQ, pending };
	q.filters[1] = (struct list_filter){ field_name(FLD_WEBHOOK_DELIVERY_NEXT_ATTEMPT_AT),
		OP_LE, nowv };
	q.nfilters = 2;
	q.limit = WEBHOOK_BATCH;
	q.see_confidential = true;
	if (pending == NULL || nowv == NULL || store_list(s, out, &q, &rows, NULL, e) != 0) {
		json_decref(pending);
		json_decref(nowv);
		return pending == NULL || nowv == NULL ? err_nomem(e) : -1;
	}
	json_decref(pending);
	json_decref(nowv);
	json_array_foreach(rows, i, d) {
		int64_t n = json_integer_value(jrec_get(d, FLD_WEBHOOK_DELIVERY_ATTEMPTS));
		bool taken;
		/* a sender that stops mid-attempt leaves it for after the lease */
		stamp_at(time(NULL) + WEBHOOK_TIMEOUT_S * 3, lease);
		if (store_webhook_claim(s, json_integer_value(json_object_get(d, "id")), n,
		    lease, now, &taken, e) != 0)
			break;
		if (!taken)
			continue;
		tried++;
		if (attempt(s, d, (int)n + 1, e) != 0)
			break;
	}
	json_decref(rows);
	return e != NULL && e->code != ERR_NONE ? -1 : tried;
}

/* ---- the sender thread ------------------------------------------------------- */

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool running, stopping;
	char *db_url;
} worker = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false,
	false, NULL };

static void *
worker_main(void *arg)
{
	struct store *s = NULL;
	struct timespec until;
	bool stop;

	(void)arg;
	for (;;) {
		struct err e = { 0 };
		if (s == NULL && store_open(worker.db_url, &s, &e) != 0) {
			fprintf(stderr, "giapranh: webhook: %s\n", e.msg);
			s = NULL;
		}
		if (s != NULL && webhook_deliver_due(s, &e) < 0) {
			fprintf(stderr, "giapranh: webhook: %s\n", e.msg);
			/* a connection that failed is opened again */
			store_close(s);
			s = NULL;
		}
		err_clear(&e);
		pthread_mutex_lock(&worker.mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WEBHOOK_POLL_MS / 1000;
		until.tv_nsec += (long)(WEBHOOK_POLL_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!worker.stopping &&
		    pthread_cond_timedwait(&worker.cv, &worker.mu, &until) == 0)
			;
		stop = worker.stopping;
		pthread_mutex_unlock(&worker.mu);
		if (stop)
			break;
	}
	store_close(s);
	return NULL;
}

int
webhook_worker_start(const char *db_url, struct err *e)
{
	pthread_mutex_lock(&worker.mu);
	if (worker.running) {
		pthread_mutex_unlock(&worker.mu);
		return 0;
	}
	pthread_once(&curl_once, curl_start);
	worker.stopping = false;
	if (!curl_ready || (worker.db_url = strdup(db_url)) == NULL) {
		pthread_mutex_unlock(&worker.mu);
		return err_set(e, ERR_INTERNAL, "không khởi động được luồng gửi webhook");
	}
	if (pthread_create(&worker.thread, NULL, worker_main, NULL) != 0) {
		free(worker.db_url);
		worker.db_url = NULL;
		pthread_mutex_unlock(&worker.mu);
		return err_set(e, ERR_INTERNAL, "không tạo được luồng gửi webhook");
	}
	worker.running = true;
	pthread_mutex_unlock(&worker.mu);
	return 0;
}

void
webhook_worker_stop(void)
{
	pthread_mutex_lock(&worker.mu);
	if (!worker.running) {
		pthread_mutex_unlock(&worker.mu);
		return;
	}
	worker.stopping = true;
	pthread_cond_broadcast(&worker.cv);
	pthread_mutex_unlock(&worker.mu);
	pthread_join(worker.thread, NULL);
	pthread_mutex_lock(&worker.mu);
	worker.running = false;
	free(worker.db_url);
	worker.db_url = NULL;
	pthread_mutex_unlock(&worker.mu);
}
