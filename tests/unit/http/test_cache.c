/* test_cache.c - answer caches: served only at the data version they were
 * computed at, bounded, gzip copies that inflate back, references that
 * outlive eviction, many threads at once; and the store's data version
 * moving on every write (this process's and another's) but not on reads. */
#include "testutil.h"

#include <pthread.h>
#include <sys/wait.h>
#include <zlib.h>

#include "http/cache.h"

#define BIG 1000000 /* bytes: no limit in the way */

static const char *
body_of(struct cache_entry *ce)
{
	size_t len;

	return cache_entry_body(ce, false, &len);
}

static void
test_hit_only_at_the_same_version(void **state)
{
	struct cache *c = cache_new(8, BIG, BIG);
	struct cache_entry *ce;
	struct cache_stats st;

	(void)state;
	assert_null(cache_get(c, "a", 1));
	ce = cache_put(c, "a", 1, "{\"n\":1}", 7, false);
	assert_non_null(ce);
	cache_entry_release(ce);
	ce = cache_get(c, "a", 1);
	assert_non_null(ce);
	assert_string_equal(body_of(ce), "{\"n\":1}");
	cache_entry_release(ce);
	assert_null(cache_get(c, "b", 1));
	/* a later version misses and drops the old answer for good */
	assert_null(cache_get(c, "a", 2));
	assert_null(cache_get(c, "a", 1));
	cache_stats(c, &st);
	assert_int_equal(st.entries, 0);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 4);
	cache_free(c);
}

static void
test_an_older_answer_does_not_replace_a_newer(void **state)
{
	struct cache *c = cache_new(8, BIG, BIG);
	struct cache_entry *ce;

	(void)state;
	cache_entry_release(cache_put(c, "k", 5, "new", 3, false));
	/* a slow request that read version 3 finishes last */
	ce = cache_put(c, "k", 3, "old", 3, false);
	assert_string_equal(body_of(ce), "old"); /* still answers its request */
	cache_entry_release(ce);
	ce = cache_get(c, "k", 5);
	assert_non_null(ce);
	assert_string_equal(body_of(ce), "new");
	cache_entry_release(ce);
	assert_null(cache_get(c, "k", 3));
	cache_free(c);
}

static void
test_entries_bounded_least_recent_goes(void **state)
{
	struct cache *c = cache_new(3, BIG, BIG);
	struct cache_entry *ce;
	struct cache_stats st;

	(void)state;
	cache_entry_release(cache_put(c, "k1", 1, "1", 1, false));
	cache_entry_release(cache_put(c, "k2", 1, "2", 1, false));
	cache_entry_release(cache_put(c, "k3", 1, "3", 1, false));
	cache_entry_release(cache_get(c, "k1", 1)); /* k2 is now the oldest */
	cache_entry_release(cache_put(c, "k4", 1, "4", 1, false));
	cache_stats(c, &st);
	assert_int_equal(st.entries, 3);
	assert_int_equal(st.evictions, 1);
	assert_null(cache_get(c, "k2", 1));
	ce = cache_get(c, "k1", 1);
	assert_non_null(ce);
	cache_entry_release(ce);
	ce = cache_get(c, "k4", 1);
	assert_non_null(ce);
	cache_entry_release(ce);
	cache_free(c);
}

static void
test_bytes_bounded_and_large_answers_not_kept(void **state)
{
	char body[4000];
	struct cache *c;
	struct cache_entry *ce;
	struct cache_stats st;
	size_t len;

	(void)state;
	memset(body, 'x', sizeof(body));
	/* room for two bodies of 4,000 bytes with their bookkeeping, not three */
	c = cache_new(16, 2 * sizeof(body) + 1000, sizeof(body) + 500);
	cache_entry_release(cache_put(c, "a", 1, body, sizeof(body), false));
	cache_entry_release(cache_put(c, "b", 1, body, sizeof(body), false));
	cache_entry_release(cache_put(c, "c", 1, body, sizeof(body), false));
	cache_stats(c, &st);
	assert_int_equal(st.entries, 2);
	assert_true(st.bytes <= 2 * sizeof(body) + 1000);
	assert_null(cache_get(c, "a", 1));
	/* over the entry limit: answered, not kept */
	{
		char large[6000];
		memset(large, 'y', sizeof(large));
		ce = cache_put(c, "large", 1, large, sizeof(large), false);
		assert_non_null(ce);
		assert_non_null(cache_entry_body(ce, false, &len));
		assert_int_equal(len, sizeof(large));
		cache_entry_release(ce);
		assert_null(cache_get(c, "large", 1));
	}
	cache_free(c);
}

static void
test_gzip_copy_inflates_to_the_body(void **state)
{
	struct cache *c = cache_new(4, BIG, BIG);
	struct cache_entry *ce;
	char body[20000], out[20001];
	const char *gz;
	size_t i, len, gzlen;
	z_stream z;

	(void)state;
	for (i = 0, len = 0; len + 40 < sizeof(body); i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
		    "{\"unit_id\":%zu,\"target\":%zu.0},", i, i % 97);
	ce = cache_put(c, "gz", 1, body, len, true);
	gz = cache_entry_body(ce, true, &gzlen);
	assert_non_null(gz);
	assert_true(gzlen < len / 2);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)gz;
	z.avail_in = (uInt)gzlen;
	z.next_out = (unsigned char *)out;
	z.avail_out = sizeof(out);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, len);
	inflateEnd(&z);
	assert_memory_equal(out, body, len);
	cache_entry_release(ce);
	/* nothing to gain: no gzip copy */
	ce = cache_put(c, "tiny", 1, "{}", 2, true);
	assert_null(cache_entry_body(ce, true, &gzlen));
	cache_entry_release(ce);
	cache_free(c);
}

static void
test_a_reference_outlives_eviction_and_free(void **state)
{
	struct cache *c = cache_new(1, BIG, BIG);
	struct cache_entry *held;

	(void)state;
	cache_entry_release(cache_put(c, "a", 1, "first", 5, false));
	held = cache_get(c, "a", 1);           /* a response being sent */
	cache_entry_release(cache_put(c, "b", 1, "second", 6, false)); /* evicts a */
	assert_null(cache_get(c, "a", 1));
	cache_free(c);
	assert_string_equal(body_of(held), "first"); /* ASan: not freed yet */
	cache_entry_release(held);
}

static void
test_thousands_of_entries(void **state)
{
	struct cache *c = cache_new(4096, BIG * 10, BIG);
	struct cache_entry *ce;
	struct cache_stats st;
	char key[32], body[32];
	int i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "unit|%d", i);
		snprintf(body, sizeof(body), "{\"id\":%d}", i);
		cache_entry_release(cache_put(c, key, 7, body, strlen(body), false));
	}
	cache_stats(c, &st);
	assert_int_equal(st.entries, 4096);
	assert_int_equal(st.evictions, 5000 - 4096);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "unit|%d", i);
		snprintf(body, sizeof(body), "{\"id\":%d}", i);
		ce = cache_get(c, key, 7);
		if (i < 5000 - 4096) {
			assert_null(ce); /* the oldest went first */
		} else {
			assert_non_null(ce);
			assert_string_equal(body_of(ce), body);
			cache_entry_release(ce);
		}
	}
	cache_free(c);
}

/* ---- threads --------------------------------------------------------------- */

#define THREADS 4
#define ROUNDS 3000
#define KEYS 12

struct worker {
	struct cache *c;
	unsigned seed;
	int bad;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	char key[16], body[64];
	struct cache_entry *ce;
	int i, k;
	uint64_t v;

	for (i = 0; i < ROUNDS; i++) {
		k = rand_r(&w->seed) % KEYS;
		v = (uint64_t)(i / 500) + 1; /* the version moves on now and then */
		snprintf(key, sizeof(key), "k%d", k);
		ce = cache_get(w->c, key, v);
		if (ce == NULL) {
			snprintf(body, sizeof(body), "%s@%llu", key, (unsigned long long)v);
			ce = cache_put(w->c, key, v, body, strlen(body), rand_r(&w->seed) % 2);
		}
		snprintf(body, sizeof(body), "%s@%llu", key, (unsigned long long)v);
		if (ce == NULL || strcmp(body_of(ce), body) != 0)
			w->bad++;
		cache_entry_release(ce);
	}
	return NULL;
}

static void
test_threads_see_only_their_key_and_version(void **state)
{
	struct cache *c = cache_new(KEYS / 2, BIG, BIG); /* evictions too */
	struct worker w[THREADS];
	pthread_t t[THREADS];
	int i;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ c, (unsigned)i * 7919u + 1u, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].bad, 0);
	}
	cache_free(c);
}

/* ---- the store's data version ------------------------------------------------- */

static void
test_data_version_moves_on_writes_not_reads(void **state)
{
	char path[TU_PG_URL_MAX], url[TU_PG_URL_MAX];
	struct err e = { 0 };
	struct store *s = tu_store(0, path, sizeof(path)), *other;
	uint64_t v1, v2;
	int64_t n;
	pid_t pid;
	int status;

	(void)state;
	tu_store_url(path, url, sizeof(url));
	v1 = store_data_version(s);
	assert_int_equal(store_count(s, registry_find("catalog_item"), &n, &e), 0);
	assert_true(store_data_version(s) == v1); /* reads change nothing */

	/* a write outside a transaction */
	assert_int_equal(store_seed_mark(s, "cache-test-1", 1, &e), 0);
	v2 = store_data_version(s);
	assert_true(v2 > v1);

	/* a transaction: at the latest when it commits */
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_seed_mark(s, "cache-test-2", 1, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	v1 = store_data_version(s);
	assert_true(v1 > v2);

	/* another connection of this process */
	assert_int_equal(store_open(url, &other, &e), 0);
	assert_int_equal(store_seed_mark(other, "cache-test-3", 1, &e), 0);
	v2 = store_data_version(s);
	assert_true(v2 > v1);
	store_close(other);

	/* another process: only the database can tell */
	v1 = store_data_version(s);
	assert_true(store_data_version(s) == v1);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *child;
		struct err ce = { 0 };
		int rc = store_open(url, &child, &ce) == 0 &&
		    store_seed_mark(child, "cache-test-4", 1, &ce) == 0 ? 0 : 1;
		_exit(rc); /* no atexit cleanup of the parent's files */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(store_data_version(s) > v1);

	/* within a request, one look: another process's commit shows at the
	 * next request, this process's writes at once */
	store_request_start(s);
	v1 = store_data_version(s);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *child;
		struct err ce = { 0 };
		int rc = store_open(url, &child, &ce) == 0 &&
		    store_seed_mark(child, "cache-test-5", 1, &ce) == 0 ? 0 : 1;
		_exit(rc);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(store_data_version(s) == v1);
	store_request_start(s);
	v2 = store_data_version(s);
	assert_true(v2 > v1);
	assert_int_equal(store_seed_mark(s, "cache-test-6", 1, &e), 0);
	assert_true(store_data_version(s) > v2);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_only_at_the_same_version),
		cmocka_unit_test(test_an_older_answer_does_not_replace_a_newer),
		cmocka_unit_test(test_entries_bounded_least_recent_goes),
		cmocka_unit_test(test_bytes_bounded_and_large_answers_not_kept),
		cmocka_unit_test(test_gzip_copy_inflates_to_the_body),
		cmocka_unit_test(test_a_reference_outlives_eviction_and_free),
		cmocka_unit_test(test_thousands_of_entries),
		cmocka_unit_test(test_threads_see_only_their_key_and_version),
		cmocka_unit_test(test_data_version_moves_on_writes_not_reads),
	};
	return cmocka_run_group_tests_name("cache", tests, NULL, NULL);
}
