/*
 * testutil.h - shared fixtures of the unit tests: a fresh migrated
 * database in a temporary directory, optionally with the administrative
 * units (loaded once per test program into a template, then copied).
 *
 * With GIAPRANH_TEST_PG set to a PostgreSQL URL (tests/pg/start.sh prints
 * one) every store is instead a fresh database on that server, made with
 * CREATE DATABASE ... TEMPLATE from a migrated template (and one with the
 * units) built once per test program - or, with GIAPRANH_TEST_PG_UNITS,
 * once per run; those a program made are dropped at its exit.
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
#include <libpq-fe.h>

#include "domain/seed.h"
#include "store/store.h"

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

/* ---- PostgreSQL (GIAPRANH_TEST_PG) --------------------------------------- */

#define TU_PG_ENV      "GIAPRANH_TEST_PG"
/* a database on that server made by `giapranh init` (migrated, with the
 * units, no demo), read only as a template; see tests/run.sh */
#define TU_PG_UNITS_ENV "GIAPRANH_TEST_PG_UNITS"
#define TU_PG_URL_MAX  1024
#define TU_PG_NAME_MAX 64
#define TU_PG_DBS_MAX  4096 /* databases one test program may create */
#define TU_PG_SQL_MAX  256

static char tu_pg_dbs[TU_PG_DBS_MAX][TU_PG_NAME_MAX];
static int tu_pg_ndbs;
static char tu_pg_base[TU_PG_NAME_MAX];  /* migrated, no units */
static char tu_pg_units[TU_PG_NAME_MAX]; /* migrated, with the units */

static __attribute__((unused)) const char *
tu_pg(void)
{
	const char *u = getenv(TU_PG_ENV);
	return u != NULL && *u != '\0' ? u : NULL;
}

/* The server URL with its database name replaced by db:
 * "postgresql://[auth]/NAME[?params]" -> "postgresql://[auth]/db[?params]" */
static __attribute__((unused)) void
tu_pg_url(const char *db, char *out, size_t len)
{
	const char *u = tu_pg(), *auth, *rest;
	size_t authlen;

	assert_non_null(u);
	auth = strstr(u, "://");
	assert_non_null(auth);
	auth += 3;
	authlen = strcspn(auth, "/?");
	rest = auth + authlen;
	if (*rest == '/')
		rest += strcspn(rest, "?");
	assert_true((size_t)snprintf(out, len, "%.*s/%s%s", (int)(auth - u + authlen),
	    u, db, rest) < len);
}

/* Run one statement on the server's own database (CREATE/DROP DATABASE
 * cannot run inside the databases they make). */
static __attribute__((unused)) int
tu_pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(tu_pg());
	PGresult *r;
	int ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "%s: %s", TU_PG_ENV, PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

static __attribute__((unused)) void
tu_pg_cleanup(void)
{
	char sql[TU_PG_SQL_MAX];
	int i;

	/* newest first: the templates were made before their copies */
	for (i = tu_pg_ndbs - 1; i >= 0; i--) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		    tu_pg_dbs[i]);
		tu_pg_admin(sql);
	}
	tu_pg_ndbs = 0;
}

/* CREATE DATABASE name [TEMPLATE tpl]; remembered for the cleanup. */
static __attribute__((unused)) void
tu_pg_create(char *name, size_t len, const char *kind, const char *tpl)
{
	static int counter;
	char sql[TU_PG_SQL_MAX];

	if (tu_pg_ndbs == 0 && counter == 0)
		atexit(tu_pg_cleanup);
	assert_true(tu_pg_ndbs < TU_PG_DBS_MAX);
	snprintf(name, len, "gp_test_%ld_%s%d", (long)getpid(), kind, ++counter);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s%s%s", name,
	    tpl != NULL ? " TEMPLATE " : "", tpl != NULL ? tpl : "");
	if (tu_pg_admin(sql) != 0)
		fail_msg("could not create database %s on %s", name, TU_PG_ENV);
	snprintf(tu_pg_dbs[tu_pg_ndbs++], TU_PG_NAME_MAX, "%s", name);
}

/* Open, migrate and (with_units) load the units into database db. */
static __attribute__((unused)) void
tu_pg_fill(const char *db, int with_units)
{
	char url[TU_PG_URL_MAX], dir[300];
	struct seed_summary sum = { 0 };
	struct err e = { 0 };
	struct store *s;

	tu_pg_url(db, url, sizeof(url));
	if (store_open(url, &s, &e) != 0)
		fail_msg("open %s: %s", db, e.msg);
	if (store_migrate(s, NULL, &e) != 0 || seed_reindex(s, &e) != 0)
		fail_msg("migrate %s: %s", db, e.msg);
	if (with_units) {
		snprintf(dir, sizeof(dir), "%s/data/admin-units", tu_srcdir());
		if (seed_admin_units(s, dir, &sum, &e) != 0)
			fail_msg("units: %s", e.msg);
	}
	store_close(s); /* a template must have no connections */
}

/* A fresh database copied from the right template; its URL goes to url. */
static __attribute__((unused)) void
tu_pg_fresh(int with_units, char *url, size_t len)
{
	char name[TU_PG_NAME_MAX];

	if (tu_pg_base[0] == '\0') {
		tu_pg_create(tu_pg_base, sizeof(tu_pg_base), "tpl", NULL);
		tu_pg_fill(tu_pg_base, 0);
	}
	if (with_units && tu_pg_units[0] == '\0') {
		/* tests/run.sh loads the units once for every program (about
		 * ten seconds each on two busy cores); run alone, a program
		 * makes its own */
		const char *shared = getenv(TU_PG_UNITS_ENV);
		if (shared != NULL && *shared != '\0') {
			assert_true(strlen(shared) < sizeof(tu_pg_units));
			snprintf(tu_pg_units, sizeof(tu_pg_units), "%s", shared);
		} else {
			tu_pg_create(tu_pg_units, sizeof(tu_pg_units), "tplunits",
			    tu_pg_base);
			tu_pg_fill(tu_pg_units, 1);
		}
	}
	tu_pg_create(name, sizeof(name), "db", with_units ? tu_pg_units : tu_pg_base);
	tu_pg_url(name, url, len);
}

/* The URL that opens again the database whose "path" tu_store gave. */
static __attribute__((unused)) void
tu_store_url(const char *path, char *url, size_t len)
{
	int n;

	if (tu_pg() != NULL)
		n = snprintf(url, len, "%s", path);
	else
		n = snprintf(url, len, "sqlite:%s", path);
	/* a cut URL would open another database */
	if (n < 0 || (size_t)n >= len)
		fail_msg("database URL longer than %zu bytes: %s", len, path);
}

/* A new database; with_units adds the administrative units.  The path of
 * its file (on PostgreSQL: its URL) goes to path (if not NULL); reopen it
 * with the URL of tu_store_url. */
static __attribute__((unused)) struct store *
tu_store(int with_units, char *path, size_t pathlen)
{
	char url[TU_PG_URL_MAX], file[300], dir[300];
	struct err e = { 0 };
	struct store *s;

	if (tu_pg() != NULL) {
		tu_pg_fresh(with_units, url, sizeof(url));
		if (store_open(url, &s, &e) != 0)
			fail_msg("open: %s", e.msg);
		if (store_migrate(s, NULL, &e) != 0 || seed_reindex(s, &e) != 0)
			fail_msg("migrate: %s", e.msg);
		if (path != NULL) {
			if (strlen(url) >= pathlen)
				fail_msg("database URL longer than %zu bytes", pathlen);
			memcpy(path, url, strlen(url) + 1);
		}
		return s;
	}

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

/* cmocka group fixtures: a database with the units, or with the demo too,
 * in *state; closed after the group. */
static __attribute__((unused)) int
tu_setup_units(void **state)
{
	*state = tu_store(1, NULL, 0);
	return 0;
}

static __attribute__((unused)) int
tu_setup_demo(void **state)
{
	*state = tu_store_demo();
	return 0;
}

static __attribute__((unused)) int
tu_teardown(void **state)
{
	store_close(*state);
	return 0;
}

/* The same demo database as a global, for test programs whose helpers
 * read it without a state argument: one fixture, not one per file. */
static struct store *tu_db;

static __attribute__((unused)) int
tu_setup_demo_db(void **state)
{
	*state = tu_db = tu_store_demo();
	return 0;
}

static __attribute__((unused)) int
tu_teardown_db(void **state)
{
	store_close(tu_db);
	*state = tu_db = NULL;
	return 0;
}

#endif
