/*
 * ceiling_sqlite.c - the load ceiling of bench/run: the rows of a
 * bench/gen indicator_value CSV inserted into the indicator_value table of
 * a giapranh database (same table, same indexes, same pragmas: WAL,
 * synchronous=FULL, foreign keys) with one prepared statement in one
 * transaction.  No validation, no audit, no JSON: what SQLite allows.
 *   ceiling_sqlite DB FILE.csv      prints "ROWS SECONDS ROWS_PER_S"
 * The CSV is bench/gen's: indicator_id,unit_id,period,target,actual,status
 * with no quoting.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINE_MAX_BYTES 256
#define CELLS 6

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "ceiling_sqlite: %s: %s\n", what, sqlite3_errmsg(db));
	return 1;
}

/* Split a line at commas in place; returns the number of cells. */
static int
split(char *line, char **cell, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		cell[n++] = line;
		line = strchr(line, ',');
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return n;
}

int
main(int argc, char **argv)
{
	static const char now[] = "2026-01-01T00:00:00Z";
	char line[LINE_MAX_BYTES], *cell[CELLS];
	sqlite3 *db;
	sqlite3_stmt *st;
	FILE *f;
	long rows = 0;
	double t0, t;

	if (argc != 3) {
		fprintf(stderr, "usage: ceiling_sqlite DB FILE.csv\n");
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL || fgets(line, sizeof(line), f) == NULL) {
		perror(argv[2]);
		return 1;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return fail(db, "open");
	t0 = now_s();
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL; BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "begin");
	if (sqlite3_prepare_v2(db, "INSERT INTO indicator_value (version, "
	    "created_at, updated_at, illustrative, indicator_id, unit_id, period, "
	    "target, actual, status) VALUES (1, ?, ?, 0, ?, ?, ?, ?, ?, ?)", -1,
	    &st, NULL) != SQLITE_OK)
		return fail(db, "prepare");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (split(line, cell, CELLS) != CELLS)
			continue;
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, strtoll(cell[0], NULL, 10));
		sqlite3_bind_int64(st, 4, strtoll(cell[1], NULL, 10));
		sqlite3_bind_text(st, 5, cell[2], -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(st, 6, strtod(cell[3], NULL));
		sqlite3_bind_double(st, 7, strtod(cell[4], NULL));
		sqlite3_bind_text(st, 8, cell[5], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			return fail(db, "insert");
		sqlite3_reset(st);
		rows++;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "commit");
	t = now_s() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	printf("%ld %.3f %.0f\n", rows, t, rows / t);
	return 0;
}
