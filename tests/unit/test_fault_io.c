/*
 * test_fault_io.c - disk full and I/O errors under the SQLite store.
 *
 * A VFS shim (registered as the default, so store_open uses it) wraps the
 * platform's VFS and, once armed, makes the Nth write-side call (xWrite,
 * xSync, xTruncate) and every later one fail with SQLITE_FULL (a full disk
 * stays full) or SQLITE_IOERR_WRITE.  For every N up to the calls an
 * operation makes (record creation, a transaction of several records, CSV
 * import, backup) the operation must either succeed - and its data then
 * be there after a reopen - or fail with the io / insufficient-storage
 * code and a Vietnamese message, leaving nothing half-written: after the
 * shim is disarmed and the database reopened through the normal VFS,
 * PRAGMA integrity_check says ok, every record committed before is
 * there, and the same connection writes again once space is back.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "domain/csvio.h"
#include "domain/records.h"

#define IOF_VFS_NAME "giapranh-faultfs"
#define BACKUP_STRIDE 7 /* N swept in a backup, after the first 16 */

static const struct actor tester = { .name = "fault-io" };

/* ---- the shim -------------------------------------------------------------- */

struct iof_file {
	sqlite3_file base;     /* our methods                               */
	sqlite3_file *real;    /* the wrapped file, right after this struct */
};

static sqlite3_vfs *iof_real;
static sqlite3_vfs iof_vfs;
static sqlite3_io_methods iof_methods;
static unsigned long iof_calls;   /* write-side calls since arming   */
static unsigned long iof_fail_at; /* 0 = never                        */
static int iof_code = SQLITE_FULL;
static unsigned long iof_failed;

static bool
iof_fail(void)
{
	iof_calls++;
	if (iof_fail_at != 0 && iof_calls >= iof_fail_at) {
		iof_failed++;
		return true;
	}
	return false;
}

static void
iof_arm(unsigned long n, int code)
{
	iof_calls = 0;
	iof_failed = 0;
	iof_fail_at = n;
	iof_code = code;
}

#define REAL(f) (((struct iof_file *)(f))->real)

static int
iof_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;

	return rc;
}

static int
iof_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int
iof_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (iof_fail())
		return iof_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int
iof_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (iof_fail())
		return iof_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
iof_sync(sqlite3_file *f, int flags)
{
	/* counted, never done: this test is about error paths, not power
	 * loss (tests/crash kills the server), and a sync per run is slow */
	(void)f;
	(void)flags;
	if (iof_fail())
		return iof_code == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC;
	return SQLITE_OK;
}

static int
iof_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
iof_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int
iof_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int
iof_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
iof_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
iof_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
iof_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
iof_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}

static int
iof_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void
iof_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
iof_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
iof_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	/* no memory-mapped reads: every page goes through xRead */
	(void)f;
	(void)off;
	(void)n;
	*pp = NULL;
	return SQLITE_OK;
}

static int
iof_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static int
iof_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct iof_file *w = (struct iof_file *)f;
	int rc;

	(void)vfs;
	w->real = (sqlite3_file *)(w + 1);
	rc = iof_real->xOpen(iof_real, name, w->real, flags, out_flags);
	w->base.pMethods = w->real->pMethods != NULL ? &iof_methods : NULL;
	return rc;
}

static int
iof_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return iof_real->xDelete(iof_real, name, sync_dir);
}

static int
iof_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return iof_real->xAccess(iof_real, name, flags, out);
}

static int
iof_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return iof_real->xFullPathname(iof_real, name, n, out);
}

static int
iof_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return iof_real->xRandomness(iof_real, n, out);
}

static int
iof_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return iof_real->xSleep(iof_real, us);
}

static int
iof_time(sqlite3_vfs *vfs, sqlite3_int64 *t)
{
	(void)vfs;
	return iof_real->xCurrentTimeInt64(iof_real, t);
}

static int
iof_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return iof_real->xGetLastError(iof_real, n, out);
}

static void
iof_install(void)
{
	static const sqlite3_io_methods m = {
		.iVersion = 3,
		.xClose = iof_close, .xRead = iof_read, .xWrite = iof_write,
		.xTruncate = iof_truncate, .xSync = iof_sync, .xFileSize = iof_size,
		.xLock = iof_lock, .xUnlock = iof_unlock,
		.xCheckReservedLock = iof_check_lock, .xFileControl = iof_control,
		.xSectorSize = iof_sector, .xDeviceCharacteristics = iof_caps,
		.xShmMap = iof_shm_map, .xShmLock = iof_shm_lock,
		.xShmBarrier = iof_shm_barrier, .xShmUnmap = iof_shm_unmap,
		.xFetch = iof_fetch, .xUnfetch = iof_unfetch,
	};

	iof_real = sqlite3_vfs_find(NULL);
	assert_non_null(iof_real);
	iof_methods = m;
	memset(&iof_vfs, 0, sizeof(iof_vfs));
	iof_vfs.iVersion = 2;
	iof_vfs.szOsFile = (int)sizeof(struct iof_file) + iof_real->szOsFile;
	iof_vfs.mxPathname = iof_real->mxPathname;
	iof_vfs.zName = IOF_VFS_NAME;
	iof_vfs.xOpen = iof_open;
	iof_vfs.xDelete = iof_delete;
	iof_vfs.xAccess = iof_access;
	iof_vfs.xFullPathname = iof_full_path;
	iof_vfs.xRandomness = iof_random;
	iof_vfs.xSleep = iof_sleep;
	iof_vfs.xCurrentTimeInt64 = iof_time;
	iof_vfs.xGetLastError = iof_last_error;
	/* the default: store_open names no VFS */
	assert_int_equal(sqlite3_vfs_register(&iof_vfs, 1), SQLITE_OK);
}

/* ---- checks ------------------------------------------------------------------ */

/* Through the platform's VFS, outside the store: integrity and a count. */
static void
check_file(const char *path, const char *table, int64_t *rows)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char sql[200];

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    iof_real->zName), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		fail_msg("%s: integrity_check: %s", path, sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (table != NULL) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		*rows = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static bool
has_text(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* The error of a failed write: the right code and a message for people. */
static void
check_error(const struct err *e, int code, unsigned long n)
{
	if (code == SQLITE_FULL) {
		if (e->code != ERR_NO_SPACE || !has_text(e->msg, "ổ đĩa đã đầy"))
			fail_msg("N=%lu, disk full: code %s, message '%s'", n,
			    err_code_name(e->code), e->msg);
	} else if (e->code != ERR_IO || !has_text(e->msg, "lỗi đọc ghi")) {
		fail_msg("N=%lu, I/O error: code %s, message '%s'", n,
		    err_code_name(e->code), e->msg);
	}
	assert_true(err_http_status(e->code) >= 500);
}

/* ---- the operations ---------------------------------------------------------- */

static const char import_csv[] =
    "full_name,gender,note\n"
    "Hoàng Văn Dương,male,Chủ tịch UBND huyện Si Ma Cai\n"
    "Ngô Văn Tăng,male,\"Phó chủ tịch, Xín Mần\"\n"
    "Nông Thị Hà,female,\n"
    "Đinh Văn Đăng,male,\n";

/* Write `rows` people: one record, or a CSV import of four. */
static int
write_people(struct store *s, int rows, struct err *e)
{
	struct import_result res;
	json_t *in, *out = NULL;
	int rc;

	if (rows == 1) {
		in = json_pack("{s:s, s:s}", "full_name", "Lò Văn Pọm", "note",
		    "Trưởng bản");
		rc = records_create(s, registry_find("person"), in, &tester, 0, &out, e);
		json_decref(in);
		json_decref(out);
		return rc;
	}
	memset(&res, 0, sizeof(res));
	rc = csv_import_buffer(s, registry_find("person"), import_csv,
	    strlen(import_csv), false, &tester, &res, e);
	json_decref(res.errors);
	return rc;
}

/* Sweep N for one kind of write: rows 1 (a record) or 4 (an import). */
static void
sweep_writes(int rows, int code)
{
	char base[300], path[320], url[340];
	unsigned long calls, n;
	struct store *s;
	struct err e = { 0 };
	int64_t before, after;
	int ok = 0, failed = 0;

	/* a migrated database, copied for each run */
	s = tu_store(0, base, sizeof(base));
	store_close(s);
	snprintf(path, sizeof(path), "%s.run", base);
	tu_store_url(path, url, sizeof(url));

	/* how many write-side calls one such write makes */
	tu_copy(base, path);
	assert_int_equal(store_open(url, &s, &e), 0);
	assert_int_equal(write_people(s, 1, &e), 0); /* statements warm */
	iof_arm(0, code);
	assert_int_equal(write_people(s, rows, &e), 0);
	calls = iof_calls;
	store_close(s);
	assert_true(calls > 0);

	for (n = 1; n <= calls + 1; n++) {
		tu_copy(base, path);
		assert_int_equal(store_open(url, &s, &e), 0);
		assert_int_equal(write_people(s, 1, &e), 0); /* committed before */
		check_file(path, "person", &before);
		iof_arm(n, code);
		if (write_people(s, rows, &e) == 0) {
			ok++;
			iof_arm(0, code);
			store_close(s);
			check_file(path, "person", &after);
			assert_int_equal(after, before + rows);
			continue;
		}
		failed++;
		iof_arm(0, code);
		check_error(&e, code, n);
		err_clear(&e);
		/* space is back: the same connection writes again */
		if (write_people(s, 1, &e) != 0)
			fail_msg("N=%lu: no write after the disk was freed: %s", n, e.msg);
		store_close(s);
		check_file(path, "person", &after);
		assert_int_equal(after, before + 1); /* nothing of the failed write */
	}
	printf("fault-io %s, %s: %lu write calls, %d failed cleanly, %d committed\n",
	    rows == 1 ? "record" : "import", code == SQLITE_FULL ? "disk full" :
	    "I/O error", calls, failed, ok);
	assert_true(failed > 0);
}

static void
test_record_disk_full(void **state)
{
	(void)state;
	sweep_writes(1, SQLITE_FULL);
}

static void
test_record_io_error(void **state)
{
	(void)state;
	sweep_writes(1, SQLITE_IOERR);
}

static void
test_import_disk_full(void **state)
{
	(void)state;
	sweep_writes(4, SQLITE_FULL);
}

static void
test_import_io_error(void **state)
{
	(void)state;
	sweep_writes(4, SQLITE_IOERR);
}

/* A backup that cannot be written fails with a message and leaves no file
 * under the target's name; the source is untouched. */
static void
test_backup_disk_full(void **state)
{
	char path[300], url[320], target[340];
	unsigned long calls, n;
	struct store *s;
	struct err e = { 0 };
	struct stat sb;
	int64_t rows;
	int failed = 0;

	(void)state;
	s = tu_store(0, path, sizeof(path));
	tu_store_url(path, url, sizeof(url));
	assert_int_equal(write_people(s, 4, &e), 0);
	store_close(s);
	snprintf(target, sizeof(target), "%s.backup", path);
	iof_arm(0, SQLITE_FULL);
	assert_int_equal(store_backup(url, target, &e), 0);
	calls = iof_calls;
	assert_int_equal(unlink(target), 0);
	/* a backup makes a few hundred calls, each run syncs: every 7th */
	for (n = 1; n <= calls; n += n < 16 ? 1 : BACKUP_STRIDE) {
		iof_arm(n, SQLITE_FULL);
		if (store_backup(url, target, &e) == 0) {
			iof_arm(0, SQLITE_FULL);
			check_file(target, "person", &rows);
			assert_int_equal(rows, 4);
			assert_int_equal(unlink(target), 0);
			continue;
		}
		iof_arm(0, SQLITE_FULL);
		failed++;
		if (e.code != ERR_NO_SPACE)
			fail_msg("N=%lu: backup: code %s, '%s'", n,
			    err_code_name(e.code), e.msg);
		assert_true(e.msg[0] != '\0');
		err_clear(&e);
		assert_int_equal(stat(target, &sb), -1);
		check_file(path, "person", &rows);
		assert_int_equal(rows, 4);
	}
	printf("fault-io backup, disk full: %lu write calls, %d runs failed "
	    "cleanly\n", calls, failed);
	assert_true(failed > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_disk_full),
		cmocka_unit_test(test_record_io_error),
		cmocka_unit_test(test_import_disk_full),
		cmocka_unit_test(test_import_io_error),
		cmocka_unit_test(test_backup_disk_full),
	};

	if (tu_pg() != NULL) {
		printf("fault-io: SQLite's VFS only; skipped on PostgreSQL\n");
		return 0;
	}
	iof_install();
	return cmocka_run_group_tests_name("fault_io", tests, NULL, NULL);
}
