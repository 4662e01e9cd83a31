/*
 * confine.c - Landlock confinement of the server, through the raw system
 * calls (no library: glibc has no wrappers).  See confine.h for the policy.
 *
 * Landlock is deny-by-default for the rights a ruleset "handles": we handle
 * every right the running kernel knows (its ABI version), then add one rule
 * per allowed file hierarchy or port.  Rights of later ABIs are masked out
 * on older kernels, so the same binary confines as much as each kernel can.
 */
#define _GNU_SOURCE
#include "http/confine.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <linux/landlock.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/gplimits.h"
#include "store/store.h"

/* Rights newer than the Debian 12 header (linux/landlock.h knows ABI 2):
 * values from the kernel's UAPI, which never changes them. */
#define LL_FS_TRUNCATE        (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV       (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP       (1ULL << 0)  /* ABI 4 */
#define LL_NET_CONNECT_TCP    (1ULL << 1)  /* ABI 4 */
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL       (1ULL << 1)  /* ABI 6 */
#define LL_RULE_PATH_BENEATH  1
#define LL_RULE_NET_PORT      2            /* ABI 4 */

/* The kernel's struct landlock_ruleset_attr as of ABI 6; its size tells the
 * kernel which fields we fill, so older kernels get the prefix they know. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define FS_R   (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_RX  (FS_R | LANDLOCK_ACCESS_FS_EXECUTE)
/* a database directory: its files are read, written, created (journal,
 * -wal, -shm) and removed, but no directory, link or device is made */
#define FS_DB  (FS_R | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG | \
    LANDLOCK_ACCESS_FS_REMOVE_FILE | LL_FS_TRUNCATE)
/* the attachments: also subdirectories, and renames from the temporary file */
#define FS_TREE (FS_DB | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
    LANDLOCK_ACCESS_FS_REFER)
/* scratch space (reports, LibreOffice's profile and its pipe): never execute */
#define FS_TMP (FS_TREE | LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | \
    LANDLOCK_ACCESS_FS_MAKE_SYM)
#define FS_DEV (LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
    LL_FS_IOCTL_DEV)
/* the rights a rule on a file (not a directory) may carry */
#define FS_FILE_RIGHTS (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
    LANDLOCK_ACCESS_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

struct plan {
	struct { char *path; uint64_t access; } fs[CONFINE_PATHS_MAX];
	size_t nfs;
	uint16_t bind[CONFINE_PORTS_MAX], connect[CONFINE_PORTS_MAX];
	size_t nbind, nconnect;
	bool overflow;
};

/* Every filesystem right the given ABI knows. */
static uint64_t
fs_rights(int abi)
{
	uint64_t r = (1ULL << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LL_FS_TRUNCATE;
	if (abi >= 5)
		r |= LL_FS_IOCTL_DEV;
	return r;
}

static void
plan_path(struct plan *p, const char *path, uint64_t access)
{
	if (path == NULL || *path == '\0')
		return;
	if (p->nfs >= CONFINE_PATHS_MAX) {
		p->overflow = true;
		return;
	}
	p->fs[p->nfs].path = strdup(path);
	if (p->fs[p->nfs].path == NULL) {
		p->overflow = true;
		return;
	}
	p->fs[p->nfs++].access = access;
}

static void
plan_port(uint16_t *ports, size_t *n, bool *overflow, long port)
{
	size_t i;

	if (port <= 0 || port > 65535)
		return;
	for (i = 0; i < *n; i++)
		if (ports[i] == port)
			return;
	if (*n >= CONFINE_PORTS_MAX) {
		*overflow = true;
		return;
	}
	ports[(*n)++] = (uint16_t)port;
}

static void
plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nfs; i++)
		free(p->fs[i].path);
	p->nfs = 0;
}

/* The directory of a file path ("." for a bare name). */
static void
plan_dir_of(struct plan *p, const char *file, uint64_t access)
{
	char dir[PATH_MAX_GP];
	const char *slash = strrchr(file, '/');

	if (slash == NULL) {
		plan_path(p, ".", access);
		return;
	}
	if (slash == file) {
		plan_path(p, "/", access);
		return;
	}
	if ((size_t)(slash - file) >= sizeof(dir)) {
		p->overflow = true;
		return;
	}
	memcpy(dir, file, (size_t)(slash - file));
	dir[slash - file] = '\0';
	plan_path(p, dir, access);
}

/* PostgreSQL: each host is a UNIX socket directory (a path) or a TCP host
 * (its port may be connected to).  libpq parses the URL, so every form it
 * accepts (host lists, ?host=/dir, environment defaults) is understood. */
static void
plan_pg(struct plan *p, const char *url)
{
	PQconninfoOption *opts = NULL, *o;
	const char *host = NULL, *hostaddr = NULL, *port = NULL;
	char list[PATH_MAX_GP], *tok, *save = NULL, libpq_url[PATH_MAX_GP];
	bool tcp = false, pooled;

	/* without our own parameter, which libpq would refuse */
	if (store_pg_url(url, libpq_url, sizeof(libpq_url), &pooled) == 0)
		opts = PQconninfoParse(libpq_url, NULL);
	if (opts == NULL) {
		p->overflow = true; /* the store would refuse it too */
		return;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL || *o->val == '\0')
			continue;
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "hostaddr") == 0)
			hostaddr = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
	}
	if (host == NULL)
		host = getenv("PGHOST");
	if (port == NULL)
		port = getenv("PGPORT");
	if (hostaddr != NULL)
		tcp = true;
	if (host == NULL || *host == '\0') {
		plan_path(p, "/var/run/postgresql", FS_R); /* libpq's default socket */
	} else {
		snprintf(list, sizeof(list), "%s", host);
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (tok[0] == '/')
				plan_path(p, tok, FS_R);
			else if (tok[0] != '@') /* '@': an abstract socket */
				tcp = true;
		}
	}
	if (tcp) {
		if (port == NULL || *port == '\0') {
			plan_port(p->connect, &p->nconnect, &p->overflow, 5432);
		} else {
			snprintf(list, sizeof(list), "%s", port);
			for (tok = strtok_r(list, ",", &save); tok;
			    tok = strtok_r(NULL, ",", &save))
				plan_port(p->connect, &p->nconnect, &p->overflow,
				    *tok ? strtol(tok, NULL, 10) : 5432);
		}
	}
	PQconninfoFree(opts);
}

/* The SMTP relay of the daily reminders (daily.h): its port may be
 * connected to (libcurl reads the URL, the scheme's port by default). */
static void
plan_smtp(struct plan *p, const char *url)
{
	CURLU *u = curl_url();
	char *port = NULL;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		p->overflow = true; /* no port to allow: refused, as a bad plan */
	else
		plan_port(p->connect, &p->nconnect, &p->overflow, strtol(port, NULL, 10));
	curl_free(port);
	curl_url_cleanup(u);
}

static void
plan_db(struct plan *p, const char *url)
{
	if (url == NULL || *url == '\0')
		return;
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		plan_pg(p, url);
		return;
	}
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	if (strcmp(url, ":memory:") == 0 || strncmp(url, "file:", 5) == 0)
		return; /* no file (file: URIs are not used by the store) */
	plan_dir_of(p, url, FS_DB);
}

static void
plan_server(struct plan *p, const struct server_config *cfg, uint16_t listen_port)
{
	static const char *const system_rx[] = {
		"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt",
	};
	static const char *const system_r[] = {
		"/etc", "/proc", "/sys", "/var/cache/fontconfig",
		"/var/spool/libreoffice", /* its shared extension cache (read at start) */
	};
	static const char *const devices[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	};
	const char *tmpdir = getenv("TMPDIR");
	char path[PATH_MAX_GP];
	size_t i;

	for (i = 0; i < sizeof(system_rx) / sizeof(system_rx[0]); i++)
		plan_path(p, system_rx[i], FS_RX);
	for (i = 0; i < sizeof(system_r) / sizeof(system_r[0]); i++)
		plan_path(p, system_r[i], FS_R);
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		plan_path(p, devices[i], FS_DEV);
	/* reports (report_tmpdir), SQLite's temporary files (it tries
	 * $TMPDIR, /var/tmp, /tmp), LibreOffice's shared memory */
	if (tmpdir != NULL && tmpdir[0] == '/')
		plan_path(p, tmpdir, FS_TMP);
	plan_path(p, "/tmp", FS_TMP);
	plan_path(p, "/var/tmp", FS_TMP);
	plan_path(p, "/dev/shm", FS_TMP);

	snprintf(path, sizeof(path), "%s/static", cfg->root ? cfg->root : ".");
	plan_path(p, path, FS_R);
	snprintf(path, sizeof(path), "%s/node_modules", cfg->root ? cfg->root : ".");
	plan_path(p, path, FS_R);
	/* the map's shipped boundaries (/static/geo/, pages_map.c) */
	snprintf(path, sizeof(path), "%s/data/admin-units/boundaries",
	    cfg->root ? cfg->root : ".");
	plan_path(p, path, FS_R);
	/* the user guide's screenshots (/static/guide/, pages_guide.c) */
	snprintf(path, sizeof(path), "%s/docs/guide/img", cfg->root ? cfg->root : ".");
	plan_path(p, path, FS_R);
	if (cfg->files_dir != NULL) {
		/* a rule needs the directory to exist; attach.c creates it with
		 * the same mode on the first upload */
		if (mkdir(cfg->files_dir, 0750) != 0 && errno != EEXIST)
			fprintf(stderr, "giapranh: không tạo được thư mục tệp đính kèm %s: %s\n",
			    cfg->files_dir, strerror(errno));
		plan_path(p, cfg->files_dir, FS_TREE);
	}
	plan_db(p, cfg->db_url);
	for (unsigned k = 0; k < cfg->ndb_read; k++)
		plan_db(p, cfg->db_read_urls[k]);
	if (cfg->ndb_read == 0)
		plan_db(p, cfg->db_read_url);
	plan_port(p->bind, &p->nbind, &p->overflow, listen_port);
	/* the webhook sender's receivers (domain/webhook.c) */
	for (i = 0; i < cfg->nwebhook_ports; i++)
		plan_port(p->connect, &p->nconnect, &p->overflow, cfg->webhook_ports[i]);
	if (cfg->remind_daily && cfg->smtp_url != NULL)
		plan_smtp(p, cfg->smtp_url);
}

static int
ll_create_ruleset(const struct ll_ruleset_attr *attr, size_t size, uint32_t flags)
{
	return (int)syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

/* Apply the plan; returns the ABI (> 0), 0 when Landlock is not available,
 * -1 on failure.  what: the summary for the log line. */
static int
plan_apply(const struct plan *p, struct buf *what, struct err *e)
{
	struct ll_ruleset_attr attr = { 0 };
	size_t attr_size = sizeof(attr.handled_access_fs);
	uint64_t handled;
	int abi, fd, rc = -1;
	size_t i, nrules = 0, skipped = 0;

	if (p->overflow)
		return err_set(e, ERR_INTERNAL, "landlock: quá nhiều quy tắc hoặc địa chỉ "
		    "cơ sở dữ liệu không hợp lệ");
	/* set even without Landlock: nothing the server runs gains privileges */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return err_set(e, ERR_INTERNAL, "prctl(NO_NEW_PRIVS): %s", strerror(errno));
	abi = ll_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		buf_addf(what, "%s", errno == ENOSYS ? "kernel without Landlock" :
		    errno == EOPNOTSUPP ? "Landlock disabled at boot" : strerror(errno));
		return 0;
	}
	handled = fs_rights(abi);
	attr.handled_access_fs = handled;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attr_size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attr_size = sizeof(attr);
	}
	fd = ll_create_ruleset(&attr, attr_size, 0);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "landlock_create_ruleset: %s", strerror(errno));

	for (i = 0; i < p->nfs; i++) {
		struct landlock_path_beneath_attr pb = { 0 };
		struct stat st;
		int pfd = open(p->fs[i].path, O_PATH | O_CLOEXEC);

		if (pfd < 0) {
			skipped++; /* /lib32 on amd64, no /var/cache/fontconfig, ... */
			continue;
		}
		pb.allowed_access = p->fs[i].access & handled;
		if (fstat(pfd, &st) == 0 && !S_ISDIR(st.st_mode))
			pb.allowed_access &= FS_FILE_RIGHTS;
		pb.parent_fd = pfd;
		if (syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0) != 0) {
			err_set(e, ERR_INTERNAL, "landlock_add_rule %s: %s", p->fs[i].path,
			    strerror(errno));
			close(pfd);
			goto done;
		}
		close(pfd);
		nrules++;
	}
	if (abi >= 4) {
		for (i = 0; i < p->nbind + p->nconnect; i++) {
			struct ll_net_port_attr np;
			np.allowed_access = i < p->nbind ? LL_NET_BIND_TCP : LL_NET_CONNECT_TCP;
			np.port = i < p->nbind ? p->bind[i] : p->connect[i - p->nbind];
			if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &np, 0) != 0) {
				err_set(e, ERR_INTERNAL, "landlock_add_rule port %u: %s",
				    (unsigned)np.port, strerror(errno));
				goto done;
			}
		}
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
		err_set(e, ERR_INTERNAL, "landlock_restrict_self: %s", strerror(errno));
		goto done;
	}
	buf_addf(what, "%zu path rules (%zu absent)", nrules, skipped);
	if (abi >= 4) {
		buf_adds(what, "; tcp bind");
		for (i = 0; i < p->nbind; i++)
			buf_addf(what, " %u", (unsigned)p->bind[i]);
		buf_adds(what, ", connect");
		for (i = 0; i < p->nconnect; i++)
			buf_addf(what, " %u", (unsigned)p->connect[i]);
		if (p->nconnect == 0)
			buf_adds(what, " none");
	} else {
		buf_adds(what, "; network not restricted (needs ABI 4)");
	}
	if (abi >= 6)
		buf_adds(what, "; scoped signals and abstract sockets");
	rc = abi;
done:
	close(fd);
	return rc;
}

int
confine_server(const struct server_config *cfg, uint16_t listen_port, struct err *e)
{
	struct plan *p = calloc(1, sizeof(*p));
	struct buf what;
	int abi;

	if (p == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	buf_init(&what, 1024);
	plan_server(p, cfg, listen_port);
	abi = plan_apply(p, &what, e);
	if (abi > 0)
		fprintf(stderr, "giapranh: landlock: ABI %d, confined (%s)\n", abi,
		    buf_str(&what));
	else if (abi == 0)
		fprintf(stderr, "giapranh: landlock: not available (%s); only "
		    "no_new_privs applied\n", buf_str(&what));
	buf_free(&what);
	plan_free(p);
	free(p);
	return abi;
}

/* ---- confine-check ------------------------------------------------------------ */

static int
probe_errno(const char *spec, int err, FILE *out)
{
	if (err == 0) {
		fprintf(out, "allowed %s\n", spec);
		return 0;
	}
	if (err == EACCES || err == EPERM) {
		fprintf(out, "denied %s (%s)\n", spec, strerror(err));
		return 1;
	}
	fprintf(out, "allowed %s (%s)\n", spec, strerror(err));
	return 0;
}

static int
probe_exec(const char *path)
{
	int status, pipefd[2], child_errno = 0;
	pid_t pid;

	/* the child reports execve's errno through a close-on-exec pipe */
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return errno;
	}
	if (pid == 0) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(path, argv, envp);
		child_errno = errno;
		if (write(pipefd[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &child_errno, sizeof(child_errno)) != sizeof(child_errno))
		child_errno = 0; /* closed by a successful exec */
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return child_errno;
}

int
confine_probe(const char *spec, FILE *out)
{
	const char *colon = strchr(spec, ':'), *arg;
	char path[PATH_MAX_GP];
	int fd, err = 0;

	if (colon == NULL) {
		fprintf(out, "bad %s (expected read:, write:, create:, exec: or tcp:)\n", spec);
		return 2;
	}
	arg = colon + 1;
	if (strncmp(spec, "read:", 5) == 0) {
		fd = open(arg, O_RDONLY | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
	} else if (strncmp(spec, "write:", 6) == 0) {
		fd = open(arg, O_WRONLY | O_APPEND | O_CLOEXEC);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
	} else if (strncmp(spec, "create:", 7) == 0) {
		snprintf(path, sizeof(path), "%s/.confine-check-%ld", arg, (long)getpid());
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		err = fd < 0 ? errno : 0;
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
	} else if (strncmp(spec, "exec:", 5) == 0) {
		err = probe_exec(arg);
	} else if (strncmp(spec, "tcp:", 4) == 0) {
		struct sockaddr_in sa = { 0 };
		long port = strtol(arg, NULL, 10);
		if (port <= 0 || port > 65535) {
			fprintf(out, "bad %s (port)\n", spec);
			return 2;
		}
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return probe_errno(spec, errno, out);
		err = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ? errno : 0;
		close(fd);
	} else {
		fprintf(out, "bad %s (expected read:, write:, create:, exec: or tcp:)\n", spec);
		return 2;
	}
	return probe_errno(spec, err, out);
}
