/*
 * http_guard.h - a deadline on request headers (slow clients).
 *
 * libmicrohttpd's connection timeout is an idle timeout: a client sending
 * one header byte per second is never idle and would hold a connection slot
 * for hours ("slowloris").  The guard records, per connection, since when
 * it has been waiting for a request's headers, and a reaper thread shuts
 * down the socket of every connection still waiting after
 * HTTP_HEADER_DEADLINE_S; libmicrohttpd then sees the peer gone and closes
 * the connection as usual.
 */
#ifndef GIAPRANH_HTTP_GUARD_H
#define GIAPRANH_HTTP_GUARD_H

#include <microhttpd.h>

/* MHD_OPTION_NOTIFY_CONNECTION callback: tracks connections. */
void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code);
/* The headers of a request are in (first call of the access handler). */
void guard_headers_done(struct MHD_Connection *conn);
/* A request ended: the connection waits for the next one's headers. */
void guard_request_done(struct MHD_Connection *conn);
/* Start and stop the reaper thread; 0 on success. */
int guard_start(void);
void guard_stop(void);

#endif
