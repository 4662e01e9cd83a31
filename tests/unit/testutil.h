/*
 * testutil.h - shared fixtures of the unit tests: a fresh migrated
 * database in a temporary directory, optionally with the administrative
 * units (loaded once per test program into a template, then copied).
 */
#ifndef GIAPRANH_TESTUTIL_H
#define GIAPRANH_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "seed.h"
#include "store.h"

static char tu_dir[256];
static char tu_template[300];
static int tu_counter;

static __attribute__((unused)) const char *
tu_srcdir(void)
{
	const char *d = getenv("GIAPRANH_SRCDIR");
	return d != NULL ? d : ".";
}

static __attribute__((unused)) void
tu_cleanup(void)
{
	char cmd[400];

	if (tu_dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tu_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tu_dir);
	}
}

static __attribute__((unused)) const char *
tu_tmpdir(void)
{
	if (tu_dir[0] == '\0') {
		snprintf(tu_dir, sizeof(tu_dir), "/tmp/giapranh-test-XXXXXX");
		assert_non_null(mkdtemp(tu_dir));
		atexit(tu_cleanup);
	}
	return tu_dir;
}

static __attribute__((unused)) void
tu_copy(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* A new database; with_units adds the administrative units.  The path of
 * its file goes to path (if not NULL). */
static __attribute__((unused)) struct store *
tu_store(int with_units, char *path, size_t pathlen)
{
	char url[400], file[300], dir[300];
	struct err e = { 0 };
	struct store *s;

	snprintf(file, sizeof(file), "%s/db%d.sqlite", tu_tmpdir(), ++tu_counter);
	if (with_units) {
		if (tu_template[0] == '\0') {
			struct seed_summary sum = { 0 };
			snprintf(tu_template, sizeof(tu_template), "%s/template.sqlite",
			    tu_tmpdir());
			snprintf(url, sizeof(url), "sqlite:%s", tu_template);
			assert_int_equal(store_open(url, &s, &e), 0);
			assert_int_equal(store_migrate(s, NULL, &e), 0);
			assert_int_equal(seed_reindex(s, &e), 0);
			snprintf(dir, sizeof(dir), "%s/data/admin-units", tu_srcdir());
			if (seed_admin_units(s, dir, &sum, &e) != 0)
				fail_msg("units: %s", e.msg);
			store_close(s); /* checkpoints the WAL into the file */
		}
		tu_copy(tu_template, file);
	}
	snprintf(url, sizeof(url), "sqlite:%s", file);
	if (store_open(url, &s, &e) != 0)
		fail_msg("open: %s", e.msg);
	if (store_migrate(s, NULL, &e) != 0 || seed_reindex(s, &e) != 0)
		fail_msg("migrate: %s", e.msg);
	if (path != NULL)
		snprintf(path, pathlen, "%s", file);
	return s;
}

/* A database with the units and the demo records of the five reports. */
static __attribute__((unused)) struct store *
tu_store_demo(void)
{
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	struct store *s = tu_store(1, NULL, 0);
	char dir[300];

	snprintf(dir, sizeof(dir), "%s/data/demo", tu_srcdir());
	if (seed_demo(s, dir, &sum, &e) != 0)
		fail_msg("demo: %s", e.msg);
	return s;
}

#endif
