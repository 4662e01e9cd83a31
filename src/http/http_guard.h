/*
 * http_guard.h - deadlines on slow clients: on a request's headers, and on
 * the whole request (headers and body).
 *
 * libmicrohttpd's connection timeout is an idle timeout: a client sending
 * one header byte per second, or one body byte every ten seconds, is never
 * idle and would hold a connection slot for hours ("slowloris").  The guard
 * records, per connection, since when it has been waiting for a request
 * and what it is waiting for; a reaper thread shuts down the socket of
 * every connection still waiting for headers after the header deadline
 * (HTTP_HEADER_DEADLINE_S), or for the rest of its body after the request
 * deadline (HTTP_REQUEST_DEADLINE_S), both counted from when the
 * connection began to wait for the request; libmicrohttpd then sees the
 * peer gone and closes the connection as usual.
 */
#ifndef GIAPRANH_HTTP_GUARD_H
#define GIAPRANH_HTTP_GUARD_H

#include <microhttpd.h>

/* MHD_OPTION_NOTIFY_CONNECTION callback: tracks connections. */
void guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code);
/* The headers of a request are in (first call of the access handler):
 * its body is awaited, under the request deadline. */
void guard_headers_done(struct MHD_Connection *conn);
/* The whole request is in (last call of the access handler): no deadline
 * while it is answered. */
void guard_body_done(struct MHD_Connection *conn);
/* A request ended: the connection waits for the next one's headers. */
void guard_request_done(struct MHD_Connection *conn);
/* Start and stop the reaper thread, with the deadlines in seconds
 * (HTTP_HEADER_DEADLINE_S, HTTP_REQUEST_DEADLINE_S; lower ones in tests);
 * 0 on success. */
int guard_start(unsigned header_s, unsigned request_s);
void guard_stop(void);

#endif
