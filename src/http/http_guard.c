/*
 * http_guard.c - see http_guard.h.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/gplimits.h"
#include "http/http_guard.h"

#define GUARD_TICK_MS 500 /* how often the reaper looks */

enum guard_wait {
	WAIT_NONE,     /* a request is being answered, or was cut      */
	WAIT_HEADERS,  /* for a request's headers                      */
	WAIT_BODY      /* for the rest of its body                     */
};

struct guard_conn {
	int fd;
	enum guard_wait waiting;
	struct timespec since;  /* waiting for this request since then */
	struct guard_conn *prev, *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct guard_conn *conns;
static pthread_t reaper;
static bool running, stopping;
static unsigned header_deadline = HTTP_HEADER_DEADLINE_S;
static unsigned request_deadline = HTTP_REQUEST_DEADLINE_S;

void
guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct guard_conn *g = *socket_context;
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (g = calloc(1, sizeof(*g))) == NULL)
			return; /* unguarded: the idle timeout still applies */
		g->fd = ci->connect_fd;
		g->waiting = WAIT_HEADERS;
		clock_gettime(CLOCK_MONOTONIC, &g->since);
		pthread_mutex_lock(&lock);
		g->next = conns;
		if (conns != NULL)
			conns->prev = g;
		conns = g;
		pthread_mutex_unlock(&lock);
		*socket_context = g;
		return;
	}
	/* closed: libmicrohttpd closes the socket after this returns, so the
	 * reaper (under the same lock) never shuts down a reused descriptor */
	if (g == NULL)
		return;
	pthread_mutex_lock(&lock);
	if (g->prev != NULL)
		g->prev->next = g->next;
	else
		conns = g->next;
	if (g->next != NULL)
		g->next->prev = g->prev;
	pthread_mutex_unlock(&lock);
	free(g);
	*socket_context = NULL;
}

/* restart: the clock starts again (a new request is awaited) */
static void
set_waiting(struct MHD_Connection *conn, enum guard_wait waiting, bool restart)
{
	const union MHD_ConnectionInfo *ci;
	struct guard_conn *g;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (g = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&lock);
	g->waiting = waiting;
	if (restart)
		clock_gettime(CLOCK_MONOTONIC, &g->since);
	pthread_mutex_unlock(&lock);
}

void
guard_headers_done(struct MHD_Connection *conn)
{
	/* the body's time counts from the same start as the headers': the
	 * deadline is on the whole request */
	set_waiting(conn, WAIT_BODY, false);
}

void
guard_body_done(struct MHD_Connection *conn)
{
	set_waiting(conn, WAIT_NONE, false);
}

void
guard_request_done(struct MHD_Connection *conn)
{
	set_waiting(conn, WAIT_HEADERS, true);
}

static void *
reap(void *arg)
{
	struct timespec now, until;
	struct guard_conn *g;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (g = conns; g != NULL; g = g->next) {
			time_t waited = now.tv_sec - g->since.tv_sec;
			if ((g->waiting == WAIT_HEADERS && waited >= (time_t)header_deadline) ||
			    (g->waiting == WAIT_BODY && waited >= (time_t)request_deadline)) {
				shutdown(g->fd, SHUT_RDWR);
				g->waiting = WAIT_NONE; /* once is enough */
			}
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)GUARD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&wake, &lock, &until);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int
guard_start(unsigned header_s, unsigned request_s)
{
	header_deadline = header_s;
	request_deadline = request_s;
	stopping = false;
	if (pthread_create(&reaper, NULL, reap, NULL) != 0)
		return -1;
	running = true;
	return 0;
}

void
guard_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(reaper, NULL);
	running = false;
}
