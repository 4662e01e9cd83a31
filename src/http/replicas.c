/* replicas.c - see replicas.h */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "base/gplimits.h"
#include "http/metrics.h"
#include "http/replicas.h"

/* What the workers share about one standby. */
struct replica {
	const char *url;
	atomic_llong down_until;  /* ms (monotonic): skipped until then        */
	atomic_llong checked_at;  /* ms: lag and replayed measured then        */
	atomic_llong lag_us;      /* last measured lag                         */
	atomic_ullong replayed;   /* last measured replay position             */
	atomic_uint generation;   /* bumped when it goes down: each worker
	                           * checks its own connection before use     */
};

static struct replica reps[REPLICAS_MAX];
static size_t nreps;
static long long lag_max_us;

/* each worker's connections, and every one opened (closed at shutdown) */
static _Thread_local struct store *tl_store[REPLICAS_MAX];
static _Thread_local unsigned tl_generation[REPLICAS_MAX];
static _Thread_local unsigned tl_next;
static struct store *opened[REPLICAS_MAX * (HTTP_THREADS_MAX + 8)];
static size_t nopened;
static pthread_mutex_t opened_lock = PTHREAD_MUTEX_INITIALIZER;

/* read-your-writes: each user's last write position, direct-mapped; an
 * entry pushed out raises the floor (replicas.h) */
static struct {
	int64_t user;
	uint64_t lsn;
} ryw[REPLICA_RYW_USERS];
static uint64_t ryw_floor;
static pthread_mutex_t ryw_lock = PTHREAD_MUTEX_INITIALIZER;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
replicas_init(const char *const *urls, size_t n, unsigned lag_max_ms)
{
	size_t i;

	nreps = n < REPLICAS_MAX ? n : REPLICAS_MAX;
	for (i = 0; i < nreps; i++) {
		memset(&reps[i], 0, sizeof(reps[i]));
		reps[i].url = urls[i];
		atomic_store(&reps[i].checked_at, -(1LL << 40));
	}
	lag_max_us = (long long)(lag_max_ms ? lag_max_ms : REPLICA_LAG_MAX_MS) * 1000;
	metrics_replicas((unsigned)nreps);
}

size_t
replicas_count(void)
{
	return nreps;
}

static size_t
ryw_slot(int64_t user)
{
	return (size_t)(((uint64_t)user * 0x9E3779B97F4A7C15ull) >> 32) %
	    REPLICA_RYW_USERS;
}

void
replicas_wrote(int64_t user_id, struct store *primary)
{
	struct err e = { 0 };
	uint64_t lsn;
	size_t k;

	if (nreps == 0 || user_id == 0 || primary == NULL)
		return;
	/* not applicable (SQLite) or no answer: nothing to wait for; a
	 * primary that cannot answer this cannot have taken the write */
	if (store_wal_position(primary, &lsn, &e) != 0 || lsn == 0)
		return;
	k = ryw_slot(user_id);
	pthread_mutex_lock(&ryw_lock);
	if (ryw[k].user != user_id) {
		if (ryw[k].user != 0 && ryw[k].lsn > ryw_floor)
			ryw_floor = ryw[k].lsn;
		ryw[k].user = user_id;
		ryw[k].lsn = lsn;
	} else if (lsn > ryw[k].lsn) {
		ryw[k].lsn = lsn;
	}
	pthread_mutex_unlock(&ryw_lock);
}

/* The position user_id's reads must see (0: any). */
static uint64_t
ryw_needed(int64_t user_id)
{
	uint64_t need = 0;
	size_t k;

	if (user_id == 0)
		return 0;
	k = ryw_slot(user_id);
	pthread_mutex_lock(&ryw_lock);
	need = ryw_floor;
	if (ryw[k].user == user_id && ryw[k].lsn > need)
		need = ryw[k].lsn;
	pthread_mutex_unlock(&ryw_lock);
	return need;
}

static void
mark_down(unsigned i, long long now)
{
	atomic_store(&reps[i].down_until, now + REPLICA_RETRY_MS);
	atomic_fetch_add(&reps[i].generation, 1);
	metrics_replica_lag(i, -1);
}

/* Measure standby i on this worker's connection s; 0, or -1 when it did
 * not answer.  Not applicable (SQLite, the same file) counts as current. */
static int
measure(unsigned i, struct store *s, long long now)
{
	struct store_replica_status st;
	struct err e = { 0 };
	int rc = store_replica_status(s, &st, &e);

	if (rc < 0)
		return -1;
	if (rc > 0 || !st.standby) {
		/* not a standby: nothing to replay, never behind */
		st.replayed = UINT64_MAX;
		st.lag_s = 0;
	}
	atomic_store(&reps[i].lag_us, (long long)(st.lag_s * 1e6));
	atomic_store(&reps[i].replayed, st.replayed);
	atomic_store(&reps[i].checked_at, now);
	metrics_replica_lag(i, st.lag_s);
	return 0;
}

/* This worker's connection to standby i, open and checked since the
 * standby last went down; NULL (and i marked down) when it cannot be. */
static struct store *
connection(unsigned i, long long now)
{
	struct err e = { 0 };
	unsigned gen = atomic_load(&reps[i].generation);
	int tries;

	if (tl_store[i] == NULL) {
		if (store_open(reps[i].url, &tl_store[i], &e) != 0) {
			tl_store[i] = NULL;
			mark_down(i, now);
			return NULL;
		}
		pthread_mutex_lock(&opened_lock);
		if (nopened < sizeof(opened) / sizeof(opened[0]))
			opened[nopened++] = tl_store[i];
		pthread_mutex_unlock(&opened_lock);
	} else if (tl_generation[i] == gen) {
		return tl_store[i];
	}
	/* new, or the standby went down since this worker used it: a
	 * connection broken then fails its first call and reconnects on the
	 * second (store_pg.c), so a request never meets the broken one */
	for (tries = 0; tries < 2; tries++)
		if (measure(i, tl_store[i], now) == 0) {
			tl_generation[i] = gen;
			return tl_store[i];
		}
	mark_down(i, now);
	return NULL;
}

struct store *
replicas_pick(int64_t user_id, struct store *primary)
{
	uint64_t need;
	long long now, deadline;
	unsigned k, i, start;
	struct store *s;

	if (nreps == 0)
		return primary;
	need = ryw_needed(user_id);
	start = tl_next++;
	now = now_ms();
	for (k = 0; k < nreps; k++) {
		i = (start + k) % (unsigned)nreps;
		if (now < atomic_load(&reps[i].down_until)) {
			metrics_replica_skipped(i, METRICS_SKIP_DOWN);
			continue;
		}
		s = connection(i, now);
		if (s == NULL) {
			metrics_replica_skipped(i, METRICS_SKIP_DOWN);
			continue;
		}
		if (now - atomic_load(&reps[i].checked_at) >= REPLICA_CHECK_MS &&
		    measure(i, s, now) != 0) {
			mark_down(i, now);
			metrics_replica_skipped(i, METRICS_SKIP_DOWN);
			continue;
		}
		if (atomic_load(&reps[i].lag_us) > lag_max_us) {
			metrics_replica_skipped(i, METRICS_SKIP_LAG);
			continue;
		}
		if (atomic_load(&reps[i].replayed) < need) {
			/* the reader's own write: wait a little for this standby
			 * (a healthy one replays within milliseconds), then read
			 * the primary rather than try another */
			struct timespec pause = { 0, REPLICA_RYW_POLL_MS * 1000000L };
			deadline = now + REPLICA_RYW_WAIT_MS;
			while (atomic_load(&reps[i].replayed) < need) {
				now = now_ms();
				if (now >= deadline)
					break;
				nanosleep(&pause, NULL);
				if (measure(i, s, now_ms()) != 0)
					break;
			}
			if (atomic_load(&reps[i].replayed) < need) {
				metrics_replica_fallback(METRICS_FALLBACK_RYW);
				return primary;
			}
		}
		metrics_replica_read(i);
		return s;
	}
	metrics_replica_fallback(METRICS_FALLBACK_NONE);
	return primary;
}

void
replicas_close_all(void)
{
	size_t i;

	pthread_mutex_lock(&opened_lock);
	for (i = 0; i < nopened; i++)
		store_close(opened[i]);
	nopened = 0;
	pthread_mutex_unlock(&opened_lock);
}
