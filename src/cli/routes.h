/*
 * routes.h - what the server serves: the handler modules' route tables in
 * the order they are matched, and the HTML error page, handed to the
 * server (which is below the handlers and knows none of them) at start-up.
 */
#ifndef GIAPRANH_ROUTES_H
#define GIAPRANH_ROUTES_H

/* server_set_routes and http_set_error_page; before server_run,
 * server_print_routes or server_find_route (main.c, in-process drivers). */
void routes_install(void);

#endif
