/*
 * daily.h - what the server does once a day by itself: the reminder digests
 * (domain/remind.h), when `serve --remind-daily` names an SMTP relay.  A
 * thread of its own, with its own store connection, looks every
 * REMIND_CHECK_S whether a new local day began (from --remind-hour on) and
 * then mails the day's digests; the claim of each user's digest in the
 * database keeps a day's mail single, whatever else runs (`giapranh remind
 * --send` from cron, another server).  A run that could not mail everyone
 * (the relay down) is tried again at the next look.
 */
#ifndef GIAPRANH_DAILY_H
#define GIAPRANH_DAILY_H

#include "http/server_config.h"

/* Start the thread (after the confinement: it is confined too); 0, or -1
 * when it could not start.  Nothing is started unless cfg->remind_daily. */
int daily_start(const struct server_config *cfg);
/* Stop it and wait for it (at shutdown; a mail being sent is finished). */
void daily_stop(void);

#endif
