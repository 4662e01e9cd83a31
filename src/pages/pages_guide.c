/*
 * pages_guide.c - /guide: the user guide in Vietnamese (docs/guide/
 * HUONG-DAN.md: the tasks of a district office, with screenshots), in the
 * page frame.  The Markdown is turned into HTML when the server is built
 * (tools/guide_html.py, which escapes its text and checks its images), so
 * the page reads no file; the screenshots are served from the shipped
 * docs/guide/img/ under /static/guide/ (http/server.c).
 *
 * Public, as /login is: whoever cannot sign in yet reads how to.  Signed
 * in, the page has the user's menu like any other.
 */
#include "pages/guide_html.h"
#include "pages/guide_tmpl.h"
#include "pages/pages.h"
#include "web/page.h"

static void
get_guide(struct request *r)
{
	struct page pg;

	page_init(r, &pg, "Hướng dẫn sử dụng", NULL);
	guide_page(&r->out, &pg, guide_html);
	page_done(r, 200);
}

const struct route guide_routes[] = {
	{ M_GET | M_HEAD, "/guide", get_guide, RT_HTML | RT_PUBLIC },
	{ 0, NULL, NULL, 0 },
};
