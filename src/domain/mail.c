/* mail.c - see mail.h */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/mail.h"

#define B64_LINE 76 /* characters of a base64 body line (RFC 2045) */

int
mail_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

bool
mail_address_ok(const char *addr)
{
	const char *at, *p;
	size_t n;

	if (addr == NULL || (n = strlen(addr)) == 0 || n > MAIL_ADDRESS_MAX)
		return false;
	at = strchr(addr, '@');
	if (at == NULL || at == addr || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return false;
	for (p = addr; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[],;:\"\\", *p) != NULL)
			return false;
	return strchr(at + 1, '.') != NULL && at[1] != '.' && addr[n - 1] != '.';
}

/* A header's text: ASCII without control characters as it is, anything
 * else as RFC 2047 base64 words of whole characters. */
static void
header_text(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char enc[128];
	size_t n, i, start;
	bool plain = true;

	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			plain = false;
	if (plain) {
		buf_adds(out, s);
		return;
	}
	/* words of at most 39 bytes (52 encoded): a word must not split a
	 * UTF-8 character, and a line stays short */
	n = strlen(s);
	for (start = 0; start < n; start = i) {
		i = start + 39 < n ? start + 39 : n;
		while (i < n && i > start && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)s + start,
		    i - start, sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s=?UTF-8?B?%s?=", start > 0 ? "\r\n " : "", enc);
	}
}

/* One line of a header: no CR or LF of the caller's gets in. */
static bool
one_line(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

static void
address(struct buf *out, const char *name, const char *addr)
{
	if (name != NULL && *name != '\0') {
		header_text(out, name);
		buf_addc(out, ' ');
	}
	buf_addf(out, "<%s>", addr);
}

int
mail_format(const struct mail *m, const char *date, const char *msgid,
    struct buf *out, struct err *e)
{
	char line[B64_LINE + 1];
	size_t n, i, chunk = B64_LINE / 4 * 3;

	if (!mail_address_ok(m->from))
		return err_set(e, ERR_BAD_REQUEST, "địa chỉ người gửi không hợp lệ: '%.80s'",
		    m->from ? m->from : "");
	if (!mail_address_ok(m->to))
		return err_set(e, ERR_BAD_REQUEST, "địa chỉ thư điện tử không hợp lệ: '%.80s'",
		    m->to ? m->to : "");
	if (!one_line(m->subject) || !one_line(m->from_name) || !one_line(m->to_name) ||
	    !one_line(date) || !one_line(msgid))
		return err_set(e, ERR_BAD_REQUEST, "tiêu đề thư có xuống dòng");
	buf_addf(out, "Date: %s\r\nFrom: ", date);
	address(out, m->from_name, m->from);
	buf_adds(out, "\r\nTo: ");
	address(out, m->to_name, m->to);
	buf_adds(out, "\r\nSubject: ");
	header_text(out, m->subject ? m->subject : "");
	buf_addf(out, "\r\nMessage-ID: <%s>\r\n", msgid);
	buf_adds(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n");
	n = m->body ? strlen(m->body) : 0;
	for (i = 0; i < n; i += chunk) {
		sodium_bin2base64(line, sizeof(line), (const unsigned char *)m->body + i,
		    n - i < chunk ? n - i : chunk, sodium_base64_VARIANT_ORIGINAL);
		buf_addf(out, "%s\r\n", line);
	}
	if (buf_failed(out))
		return buf_nomem(out) ? err_nomem(e) :
		    err_set(e, ERR_TOO_LARGE, "thư quá dài");
	return 0;
}

/* libcurl reads the message from here. */
struct upload_src {
	const char *data;
	size_t len, off;
};

static size_t
read_message(char *ptr, size_t size, size_t nmemb, void *ctx)
{
	struct upload_src *u = ctx;
	size_t room = size * nmemb, n = u->len - u->off;

	if (n > room)
		n = room;
	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

int
mail_send(const char *url, const struct mail *m, struct err *e)
{
	char date[64], msgid[96], rnd_hex[33], errbuf[CURL_ERROR_SIZE] = "";
	unsigned char rnd[16];
	struct curl_slist *rcpt = NULL;
	struct upload_src src;
	struct buf msg;
	struct tm tm;
	time_t now = time(NULL);
	const char *at;
	CURL *c;
	CURLcode cc;
	int rc = -1;

	if (url == NULL || (strncmp(url, "smtp://", 7) != 0 &&
	    strncmp(url, "smtps://", 8) != 0))
		return err_set(e, ERR_BAD_REQUEST, "địa chỉ máy chủ thư phải là smtp://… "
		    "hoặc smtps://…");
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(rnd_hex, sizeof(rnd_hex), rnd, sizeof(rnd));
	at = m->from ? strchr(m->from, '@') : NULL;
	snprintf(msgid, sizeof(msgid), "%s%s", rnd_hex, at ? at : "@giapranh");
	buf_init(&msg, MAIL_MESSAGE_MAX);
	if (mail_format(m, date, msgid, &msg, e) != 0) {
		buf_free(&msg);
		return -1;
	}
	if ((c = curl_easy_init()) == NULL) {
		buf_free(&msg);
		return err_set(e, ERR_INTERNAL, "không khởi tạo được libcurl");
	}
	if ((rcpt = curl_slist_append(NULL, m->to)) == NULL) {
		err_nomem(e);
		goto done;
	}
	src = (struct upload_src){ msg.data, msg.len, 0 };
	curl_easy_setopt(c, CURLOPT_URL, url);
	/* SMTP only: a URL of another scheme is refused, not followed */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, m->from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &src);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)MAIL_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)MAIL_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	/* STARTTLS when the relay offers it; smtps:// is TLS from the start */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		err_set(e, ERR_UNAVAILABLE, "không gửi được thư đến %s: %s", m->to,
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto done;
	}
	rc = 0;
done:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&msg);
	return rc;
}
