/*
 * error_page.h - an error as an HTML page of its own, in the page frame
 * (page.h).
 */
#ifndef GIAPRANH_ERROR_PAGE_H
#define GIAPRANH_ERROR_PAGE_H

struct request;

/* An error as a page of its own (status from the error code). */
void view_error_page(struct request *r, int status, const char *msg);
/* The same: the HTML error page that the server draws for the routes that
 * answer errors as pages (http_set_error_page, cli/routes.c). */
void page_error(struct request *r, int status, const char *msg);

#endif
