/*
 * pages_follow.h - follow-up pages (templates/follow.tmpl): "Việc cần
 * làm", "Theo dõi thực hiện" and the timeline of a unit or an agreement.
 */
#ifndef GIAPRANH_PAGES_FOLLOW_H
#define GIAPRANH_PAGES_FOLLOW_H

#include <jansson.h>
#include <string.h>

#include "base/buf.h"
#include "web/page.h"

/* dd/mm/yyyy of an ISO date, escaped ("–" when none). */
void follow_date(struct buf *b, const char *iso);
/* "97,1%" or "–". */
void follow_percent(struct buf *b, const json_t *v);
/* Vietnamese label of a briefing frequency. */
const char *follow_frequency(const char *code);

#endif
