/*
 * page.h - the frame of the server-rendered HTML pages (Vietnamese), which
 * are built from compiled templates (templates/NAME.tmpl compiled to
 * build/src/LAYER/NAME_tmpl.c).  Usable without JavaScript; htmx only
 * enhances.  The pages themselves are pages/.
 */
#ifndef GIAPRANH_PAGE_H
#define GIAPRANH_PAGE_H

#include <string.h>

#include "base/buf.h"
#include "http/http.h"

/* What the layout needs to frame a page. */
struct page {
	const char *title;
	const char *section;   /* label of the navigation item to highlight */
	const struct user *user;
	const char *csrf;
	const char *flash;     /* a one-line notice, or NULL */
	long notices;          /* the bell: items due or overdue (remind.h), -1 none */
	const char *search;    /* the header's search box: what was searched */
};

struct nav_item {
	const char *label;
	const char *href;
};

/* The main navigation (Tổng quan … Quản trị). */
extern const struct nav_item nav_items[];
extern const size_t nav_count;

/* Whether a navigation item is offered to u: the administration to
 * administrators, the import from files to those who may write (editors
 * and above); the rest to everyone. */
bool page_nav_shown(const struct user *u, const struct nav_item *it);

/* Start an HTML answer for the request: a page frame for its user. */
void page_init(struct request *r, struct page *pg, const char *title,
    const char *section);
/* Finish: status and content type. */
void page_done(struct request *r, int status);

#endif
