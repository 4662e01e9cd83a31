/*
 * store_backup.c - `giapranh backup` and `giapranh restore`.
 *
 * SQLite: the online backup API copies every page inside one read
 * transaction, so a backup taken while the server writes is a consistent
 * snapshot (WAL readers do not block writers).  The copy goes to a
 * temporary file beside the target, is checked, switched to a single-file
 * journal mode, synced and renamed over the target: a crash half-way never
 * leaves a truncated backup under the final name.
 *
 * PostgreSQL: pg_dump -Fc / pg_restore, started with fork/execvp (no shell,
 * so nothing in the URL or file name is interpreted).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_int.h"

#define BACKUP_BUSY_RETRIES 50   /* tries while another connection holds a lock */
#define BACKUP_BUSY_SLEEP_MS 100 /* between those tries                          */
/* Byte of the WAL index (-shm) file on which every open SQLite connection
 * of a WAL database holds a shared lock (the "DMS" slot of SQLite's unix
 * VFS, after the 8 WAL locks at offset 120). */
#define SQLITE_SHM_DMS_OFFSET 128

static bool
is_postgres(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 ||
	    strncmp(url, "postgresql://", 13) == 0;
}

/* The file of a SQLite URL, as store_open reads it. */
static const char *
sqlite_path(const char *url)
{
	if (url == NULL || *url == '\0')
		url = STORE_DEFAULT_URL;
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

static int
sq_fail(sqlite3 *db, const char *what, const char *path, struct err *e)
{
	if (db != NULL && sqlite3_errcode(db) == SQLITE_FULL)
		return err_set(e, ERR_NO_SPACE, "%s %s: ổ đĩa đã đầy", what, path);
	return err_set(e, ERR_IO, "%s %s: %s", what, path,
	    db ? sqlite3_errmsg(db) : "hết bộ nhớ");
}

/* Copy every page of `from` into `to` in one step (one read transaction on
 * the source: a consistent snapshot, never restarted by concurrent writes). */
static int
sq_copy(sqlite3 *from, sqlite3 *to, const char *path, struct err *e)
{
	sqlite3_backup *b;
	int rc, tries = 0;

	b = sqlite3_backup_init(to, "main", from, "main");
	if (b == NULL)
		return sq_fail(to, "không chép được cơ sở dữ liệu vào", path, e);
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(BACKUP_BUSY_SLEEP_MS);
	} while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
	    ++tries < BACKUP_BUSY_RETRIES);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return err_set(e, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ?
		    ERR_UNAVAILABLE : (rc & 0xff) == SQLITE_FULL ? ERR_NO_SPACE :
		    ERR_IO, "chép cơ sở dữ liệu vào %s không xong: %s", path,
		    (rc & 0xff) == SQLITE_FULL ? "ổ đĩa đã đầy" : sqlite3_errstr(rc));
	return 0;
}

static int
one_text_row(void *ctx, int argc, char **argv, char **names)
{
	char *out = ctx;

	(void)names;
	if (argc > 0 && argv[0] != NULL && out[0] == '\0')
		snprintf(out, 64, "%s", argv[0]);
	return 0;
}

/* PRAGMA quick_check answers "ok" on a sound file. */
static int
sq_check(sqlite3 *db, const char *path, struct err *e)
{
	char res[64] = "";

	if (sqlite3_exec(db, "PRAGMA quick_check", one_text_row, res, NULL) != SQLITE_OK)
		return sq_fail(db, "không kiểm tra được", path, e);
	if (strcmp(res, "ok") != 0)
		return err_set(e, ERR_IO, "tệp %s bị hỏng (quick_check: %s)", path, res);
	return 0;
}

static int
sq_count(sqlite3 *db, const char *sql, long *n)
{
	char res[64] = "";

	if (sqlite3_exec(db, sql, one_text_row, res, NULL) != SQLITE_OK)
		return -1;
	*n = strtol(res, NULL, 10);
	return 0;
}

/* fsync a file, then its directory, so that a rename survives power loss. */
static int
sync_path(const char *path, bool dir_too)
{
	char copy[PATH_MAX_GP];
	int fd, rc;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	if (rc != 0 || !dir_too)
		return rc;
	snprintf(copy, sizeof(copy), "%s", path);
	if ((fd = open(dirname(copy), O_RDONLY)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
sq_backup(const char *url, const char *file, struct err *e)
{
	const char *src_path = sqlite_path(url);
	char tmp[PATH_MAX_GP];
	sqlite3 *src = NULL, *dst = NULL;
	int rc = -1;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid()) >=
	    sizeof(tmp))
		return err_set(e, ERR_BAD_REQUEST, "đường dẫn tệp sao lưu quá dài");
	if (sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sq_fail(src, "không mở được cơ sở dữ liệu", src_path, e);
		goto out;
	}
	sqlite3_busy_timeout(src, DB_BUSY_TIMEOUT_MS);
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		sq_fail(dst, "không tạo được tệp", tmp, e);
		goto out;
	}
	/* the source is in WAL mode; a backup must be one self-contained file */
	if (sq_copy(src, dst, tmp, e) != 0)
		goto out;
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(dst, "không ghi được tệp", tmp, e);
		goto out;
	}
	if (sq_check(dst, tmp, e) != 0)
		goto out;
	if (sqlite3_close(dst) != SQLITE_OK) {
		sq_fail(dst, "không đóng được tệp", tmp, e);
		goto out;
	}
	dst = NULL;
	if (sync_path(tmp, false) != 0 || rename(tmp, file) != 0 ||
	    sync_path(file, true) != 0) {
		err_set(e, ERR_IO, "không ghi được tệp sao lưu %s: %s", file, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(src);
	if (dst != NULL)
		sqlite3_close(dst);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* True while another process has the WAL database open (a running
 * server): it holds a read lock on the DMS byte of the -shm file. */
static bool
sq_in_use(const char *path)
{
	char shm[PATH_MAX_GP];
	struct flock lk = { 0 };
	int fd;
	bool used;

	if ((size_t)snprintf(shm, sizeof(shm), "%s-shm", path) >= sizeof(shm) ||
	    (fd = open(shm, O_RDWR)) < 0)
		return false;
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = SQLITE_SHM_DMS_OFFSET;
	lk.l_len = 1;
	used = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
	close(fd);
	return used;
}

static int
sq_restore(const char *url, const char *file, bool force, struct err *e)
{
	const char *dst_path = sqlite_path(url);
	sqlite3 *src = NULL, *dst = NULL;
	long tables = 0;
	int rc = -1;

	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sq_fail(src, "không mở được tệp sao lưu", file, e);
		goto out;
	}
	if (sq_check(src, file, e) != 0)
		goto out;
	if (sq_count(src, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
	    "AND name = 'schema_migration'", &tables) != 0 || tables != 1) {
		err_set(e, ERR_BAD_REQUEST, "tệp %s không phải bản sao lưu của giapranh", file);
		goto out;
	}
	if (sq_in_use(dst_path)) {
		err_set(e, ERR_UNAVAILABLE, "cơ sở dữ liệu %s đang được dùng (máy chủ còn "
		    "chạy?); hãy dừng máy chủ rồi khôi phục", dst_path);
		goto out;
	}
	if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		sq_fail(dst, "không mở được cơ sở dữ liệu", dst_path, e);
		goto out;
	}
	/* Exclusive locking: the first read below takes the file's lock for good
	 * and fails (busy) while a running server holds it open. */
	if (sqlite3_exec(dst, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(dst, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, ERR_UNAVAILABLE, "cơ sở dữ liệu %s đang được dùng (máy chủ còn "
		    "chạy?); hãy dừng máy chủ rồi khôi phục", dst_path);
		goto out;
	}
	if (sq_count(dst, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
	    &tables) != 0 || sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sq_fail(dst, "không đọc được", dst_path, e);
		goto out;
	}
	if (tables > 0 && !force) {
		err_set(e, ERR_CONFLICT, "cơ sở dữ liệu %s đã có dữ liệu; dùng --force để "
		    "ghi đè", dst_path);
		goto out;
	}
	if (sq_copy(src, dst, dst_path, e) != 0 || sq_check(dst, dst_path, e) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}

/* ---- PostgreSQL --------------------------------------------------------------- */

/* Run argv[0] with argv (no shell); 0 when it exits with status 0. */
static int
run_tool(char *const argv[], struct err *e)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err_set(e, ERR_INTERNAL, "không tạo được tiến trình: %s", strerror(errno));
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "giapranh: không chạy được %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(e, ERR_INTERNAL, "waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, ERR_IO, "%s không thành công (mã %d)", argv[0],
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int
pg_backup(const char *url, const char *file, struct err *e)
{
	char tmp[PATH_MAX_GP];
	char *argv[] = { "pg_dump", "-Fc", "--no-owner", "-f", tmp, "-d",
		(char *)url, NULL };

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", file, (long)getpid()) >=
	    sizeof(tmp))
		return err_set(e, ERR_BAD_REQUEST, "đường dẫn tệp sao lưu quá dài");
	if (run_tool(argv, e) != 0) {
		unlink(tmp);
		return -1;
	}
	if (sync_path(tmp, false) != 0 || rename(tmp, file) != 0 ||
	    sync_path(file, true) != 0) {
		unlink(tmp);
		return err_set(e, ERR_IO, "không ghi được tệp sao lưu %s: %s", file,
		    strerror(errno));
	}
	return 0;
}

static int
count_row(void *ctx, int ncols, const struct db_value *cols)
{
	if (ncols > 0 && cols[0].type == DB_INT)
		*(int64_t *)ctx = cols[0].i;
	return 0;
}

static int
pg_restore(const char *url, const char *file, bool force, struct err *e)
{
	char *argv[] = { "pg_restore", "--no-owner", "--single-transaction",
		"--exit-on-error", "-d", (char *)url, NULL, NULL, NULL, NULL };
	struct store *s;
	int64_t tables = 0;
	int i = 6;

	if (access(file, R_OK) != 0)
		return err_set(e, ERR_IO, "không đọc được tệp sao lưu %s: %s", file,
		    strerror(errno));
	if (store_open(url, &s, e) != 0)
		return -1;
	if (store_query(s, "SELECT count(*) FROM information_schema.tables WHERE "
	    "table_schema = current_schema()", NULL, 0, count_row, &tables, e) != 0) {
		store_close(s);
		return -1;
	}
	store_close(s);
	if (tables > 0 && !force)
		return err_set(e, ERR_CONFLICT, "cơ sở dữ liệu đã có dữ liệu; dùng --force "
		    "để ghi đè");
	if (tables > 0) {
		argv[i++] = "--clean";
		argv[i++] = "--if-exists";
	}
	argv[i] = (char *)file;
	return run_tool(argv, e);
}

int
store_backup(const char *url, const char *file, struct err *e)
{
	if (file == NULL || *file == '\0')
		return err_set(e, ERR_BAD_REQUEST, "thiếu tệp sao lưu (--to FILE)");
	if (url != NULL && is_postgres(url))
		return pg_backup(url, file, e);
	if (url != NULL && strncmp(url, "sqlite:", 7) != 0 && strstr(url, "://") != NULL)
		return err_set(e, ERR_BAD_REQUEST, "không nhận ra địa chỉ cơ sở dữ liệu: %s", url);
	return sq_backup(url, file, e);
}

int
store_restore(const char *url, const char *file, bool force, struct err *e)
{
	if (file == NULL || *file == '\0')
		return err_set(e, ERR_BAD_REQUEST, "thiếu tệp sao lưu (--from FILE)");
	if (url != NULL && is_postgres(url))
		return pg_restore(url, file, force, e);
	if (url != NULL && strncmp(url, "sqlite:", 7) != 0 && strstr(url, "://") != NULL)
		return err_set(e, ERR_BAD_REQUEST, "không nhận ra địa chỉ cơ sở dữ liệu: %s", url);
	return sq_restore(url, file, force, e);
}
