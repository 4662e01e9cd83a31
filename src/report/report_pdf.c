/*
 * report_pdf.c - a report as PDF: its DOCX (report_docx.c) converted by
 * LibreOffice in a private temporary directory (moved from report_text.c,
 * unchanged: a renderer on top of another one).
 */
#define _XOPEN_SOURCE 700 /* nftw(), to remove LibreOffice's profile tree */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_int.h"

#define PDF_TIMEOUT_S        120  /* LibreOffice gets this long, then killed */
#define PDF_POLL_MS          100
#define PDF_FILE_MAX         ((size_t)64 << 20) /* bytes of the PDF read back */
#define PDF_DOCX_MAX         ((size_t)64 << 20) /* bytes of the DOCX written  */
#define PDF_FDS_CLOSE_MAX    65536 /* descriptors closed in the child        */
#define PDF_TREE_FDS         16    /* nftw descriptors                       */

/* The program's full path from PATH; empty entries (the working directory)
 * are skipped on purpose. */
static int
find_program(const char *name, char *path, size_t len)
{
	const char *p = getenv("PATH"), *end;

	for (; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		int n;
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p || *p != '/')
			continue;
		n = snprintf(path, len, "%.*s/%s", (int)(end - p), p, name);
		if (n > 0 && (size_t)n < len && access(path, X_OK) == 0)
			return 0;
	}
	return -1;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_entry, PDF_TREE_FDS, FTW_DEPTH | FTW_PHYS);
}

static int
write_file(const char *path, const char *data, size_t len, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0)
		return err_set(e, ERR_IO, "không ghi được tệp tạm: %s", strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return err_set(e, ERR_IO, "không ghi được tệp tạm: %s",
			    strerror(errno));
		}
		done += (size_t)n;
	}
	if (close(fd) != 0)
		return err_set(e, ERR_IO, "không ghi được tệp tạm: %s", strerror(errno));
	return 0;
}

static int
read_file_into(const char *path, size_t max, struct buf *out, struct err *e)
{
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t total = 0;
	ssize_t n;

	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "LibreOffice không tạo ra tệp PDF");
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (total += (size_t)n) > max) {
			close(fd);
			return n < 0 ? err_set(e, ERR_IO, "không đọc được tệp PDF: %s",
			    strerror(errno)) : err_set(e, ERR_TOO_LARGE,
			    "tệp PDF vượt quá kích thước cho phép");
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return report_out_check(out, e);
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Runs soffice on dir/name.docx with HOME and the LibreOffice profile in
 * dir, so that concurrent conversions never share (and lock) a profile and
 * nothing is written to the server's home. */
static int
run_soffice(const char *prog, const char *dir, const char *docx, struct err *e)
{
	char env_home[PATH_MAX_GP + 8], env_tmp[PATH_MAX_GP + 8];
	char env_path[PATH_MAX_GP + 8], profile[PATH_MAX_GP + 64];
	char *argv[] = {
		(char *)"soffice", (char *)"--headless", (char *)"--norestore",
		(char *)"--nologo", (char *)"--nolockcheck", profile,
		(char *)"--convert-to", (char *)"pdf", (char *)"--outdir",
		(char *)dir, (char *)docx, NULL,
	};
	char *envp[] = { env_home, env_tmp, env_path, (char *)"LANG=C.UTF-8",
		(char *)"LC_ALL=C.UTF-8", NULL };
	const char *path = getenv("PATH");
	struct timespec t0, nap = { 0, PDF_POLL_MS * 1000000L };
	long open_max = sysconf(_SC_OPEN_MAX);
	int status = 0;
	pid_t pid, r;

	if (path == NULL || strlen(path) >= PATH_MAX_GP)
		path = "/usr/local/bin:/usr/bin:/bin";
	snprintf(env_home, sizeof(env_home), "HOME=%s", dir);
	snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", dir);
	snprintf(env_path, sizeof(env_path), "PATH=%s", path);
	snprintf(profile, sizeof(profile), "-env:UserInstallation=file://%s/profile",
	    dir);
	if (open_max < 0 || open_max > PDF_FDS_CLOSE_MAX)
		open_max = PDF_FDS_CLOSE_MAX;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return err_set(e, ERR_INTERNAL, "không chạy được LibreOffice: %s",
		    strerror(errno));
	if (pid == 0) {
		/* only async-signal-safe calls between fork and exec */
		int fd = open("/dev/null", O_RDWR);
		long i;
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		for (i = 3; i < open_max; i++)
			close((int)i); /* the server's sockets stay in the server */
		setpgid(0, 0);
		execve(prog, argv, envp);
		_exit(127);
	}
	setpgid(pid, pid); /* both sides set it: no race with the kill below */
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return err_set(e, ERR_INTERNAL, "không chờ được LibreOffice: %s",
			    strerror(errno));
		if (elapsed_ms(&t0) > (long)PDF_TIMEOUT_S * 1000) {
			kill(-pid, SIGKILL); /* soffice.bin is a child of soffice */
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return err_set(e, ERR_UNAVAILABLE,
			    "LibreOffice chạy quá %d giây nên đã dừng; hãy thử lại "
			    "hoặc tải bản DOCX", PDF_TIMEOUT_S);
		}
		nanosleep(&nap, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, ERR_INTERNAL,
		    "LibreOffice không chuyển được báo cáo sang PDF (mã %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int
report_render_pdf(const json_t *doc, struct buf *out, struct err *e)
{
	char prog[PATH_MAX_GP], dir[PATH_MAX_GP], docx[PATH_MAX_GP + 32];
	char pdf[PATH_MAX_GP + 32];
	struct buf d;
	size_t start = out->len;
	int rc = -1;

	if (find_program("soffice", prog, sizeof(prog)) != 0)
		return err_set(e, ERR_UNAVAILABLE, "chưa cài LibreOffice (soffice) "
		    "trên máy chủ nên chưa xuất được PDF; hãy tải bản DOCX");
	if (report_tmpdir("pdf", dir, sizeof(dir), e) != 0)
		return -1;
	snprintf(docx, sizeof(docx), "%s/bao-cao.docx", dir);
	snprintf(pdf, sizeof(pdf), "%s/bao-cao.pdf", dir);
	buf_init(&d, PDF_DOCX_MAX);
	if (report_render_docx(doc, &d, e) != 0)
		goto done;
	if (write_file(docx, d.data, d.len, e) != 0)
		goto done;
	if (run_soffice(prog, dir, docx, e) != 0)
		goto done;
	if (read_file_into(pdf, PDF_FILE_MAX, out, e) != 0)
		goto done;
	if (out->len - start < 5 || memcmp(out->data + start, "%PDF", 4) != 0) {
		err_set(e, ERR_INTERNAL, "LibreOffice trả về tệp không phải PDF");
		goto done;
	}
	rc = 0;
done:
	if (rc != 0 && !buf_failed(out) && out->len > start) {
		out->len = start; /* no half PDF for the caller */
		out->data[start] = '\0';
	}
	buf_free(&d);
	rm_tree(dir);
	return rc;
}
