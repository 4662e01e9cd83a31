/*
 * ceiling_mhd.c - the HTTP ceiling of bench/run: libmicrohttpd with the
 * options giapranh serve uses (internal epoll thread pool, one thread per
 * core) answering every request with the same small fixed JSON body.  No
 * routing, no sign-in, no database: what the machine and the library allow.
 *   ceiling_mhd PORT THREADS [BODY_BYTES]
 * BODY_BYTES (default: the 12-byte body) sets a body of that size, for the
 * ceiling of large answers such as workload (d)'s ~208 KB.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONNECTIONS_MAX 1024 /* as HTTP_CONNECTIONS_MAX of gplimits.h */
#define TIMEOUT_S 30

#define BODY_BYTES_MAX (16u << 20)

static const char small_body[] = "{\"ok\":true}\n";
static const char *body = small_body;
static size_t body_len = sizeof(small_body) - 1;
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **state)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	(void)cls; (void)url; (void)method; (void)version; (void)data;
	(void)size;
	if (*state == NULL) {
		/* headers only: answering before the (empty) body has been read
		 * makes libmicrohttpd close the connection - keep-alive needs the
		 * second call, as giapranh serve does */
		*state = (void *)1;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(body_len, (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: ceiling_mhd PORT THREADS [BODY_BYTES]\n");
		return 2;
	}
	if (argc == 4) {
		size_t n = (size_t)strtoul(argv[3], NULL, 10);
		char *big;
		if (n == 0 || n > BODY_BYTES_MAX || (big = malloc(n)) == NULL) {
			fprintf(stderr, "ceiling_mhd: BODY_BYTES must be 1..%u\n",
			    BODY_BYTES_MAX);
			return 2;
		}
		memset(big, 'x', n);
		big[n - 1] = '\n';
		body = big;
		body_len = n;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC, (unsigned short)atoi(argv[1]), NULL, NULL, on_request,
	    NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)atoi(argv[2]),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT_S, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "ceiling_mhd: cannot listen on %s\n", argv[1]);
		return 1;
	}
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return 0;
}
