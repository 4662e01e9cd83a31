/* daily.c - see daily.h */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/mail.h"
#include "domain/remind.h"
#include "http/daily.h"
#include "store/store.h"

static pthread_t thread;
static bool running;
static bool stopping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

/* Mail today's digests; true when every user was dealt with. */
static bool
run_once(const struct server_config *cfg, struct store **s, const char *today)
{
	struct remind_mail rm = { cfg->smtp_url, cfg->smtp_from, "giapranh",
		cfg->site_url, (int)cfg->remind_days, NULL };
	struct remind_summary sum;
	struct err e = { 0 };
	int rc;

	if (*s == NULL && store_open(cfg->db_url, s, &e) != 0) {
		fprintf(stderr, "giapranh: nhắc việc: %s\n", e.msg);
		err_clear(&e);
		return false;
	}
	rc = remind_send_all(*s, &rm, today, &sum, NULL, &e);
	if (rc != 0) {
		fprintf(stderr, "giapranh: nhắc việc ngày %s: %s\n", today, e.msg);
		err_clear(&e);
		/* the connection may be what failed: a new one next time */
		store_close(*s);
		*s = NULL;
		return false;
	}
	fprintf(stderr, "giapranh: nhắc việc ngày %s: gửi %ld thư, %ld đã gửi trước đó, "
	    "%ld không có việc, %ld địa chỉ sai, %ld gửi không được\n", today, sum.sent,
	    sum.already, sum.nothing, sum.bad_address, sum.failed);
	return sum.failed == 0;
}

static void *
daily_main(void *arg)
{
	const struct server_config *cfg = arg;
	char today[CLOCK_DATE_LEN], done[CLOCK_DATE_LEN] = "";
	struct store *s = NULL;
	struct timespec until;
	struct tm tm;
	time_t now;

	pthread_mutex_lock(&lock);
	while (!stopping) {
		now = time(NULL);
		localtime_r(&now, &tm);
		clock_today(today);
		if (strcmp(today, done) != 0 && (unsigned)tm.tm_hour >= cfg->remind_hour) {
			bool ok;
			/* mailing takes a while: shutdown must not wait on the lock */
			pthread_mutex_unlock(&lock);
			ok = run_once(cfg, &s, today);
			pthread_mutex_lock(&lock);
			if (ok)
				snprintf(done, sizeof(done), "%s", today);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += REMIND_CHECK_S;
		while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&lock);
	store_close(s);
	return NULL;
}

int
daily_start(const struct server_config *cfg)
{
	if (!cfg->remind_daily || running)
		return 0;
	if (mail_global_init() != 0)
		return -1;
	stopping = false;
	if (pthread_create(&thread, NULL, daily_main, (void *)cfg) != 0)
		return -1;
	running = true;
	return 0;
}

void
daily_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = false;
}
