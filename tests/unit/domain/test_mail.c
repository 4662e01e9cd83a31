/* test_mail.c - the message as it goes to the relay (headers, encoded
 * words, a base64 body that decodes to the text), the addresses accepted,
 * and a relay that cannot be reached. */
#include "testutil.h"

#include <sodium.h>

#include "base/buf.h"
#include "domain/mail.h"

static const struct {
	const char *addr;
	bool ok;
} addresses[] = {
	{ "can.bo@simacai.laocai.gov.vn", true },
	{ "a@b.vn", true },
	{ "x+tag@example.org", true },
	{ "", false },
	{ "no-at.example.org", false },
	{ "@example.org", false },
	{ "a@", false },
	{ "a@b@c.vn", false },
	{ "a b@c.vn", false },
	{ "a@c.vn\r\nRCPT TO:<x@y.z>", false }, /* an SMTP command smuggled in */
	{ "a@c.vn\nBcc: x@y.z", false },         /* a header smuggled in       */
	{ "<a@c.vn>", false },
	{ "a,b@c.vn", false },
	{ "cán.bộ@c.vn", false },                /* not ASCII                  */
	{ "a@localhost", false },                /* no domain with a dot       */
	{ "a@.vn", false },
	{ "a@c.vn.", false },
};

static void
test_addresses(void **state)
{
	char longer[MAIL_ADDRESS_MAX + 8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++)
		if (mail_address_ok(addresses[i].addr) != addresses[i].ok)
			fail_msg("'%s': want %d", addresses[i].addr, addresses[i].ok);
	assert_false(mail_address_ok(NULL));
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memcpy(longer + sizeof(longer) - 8, "@b.vn", 6);
	assert_false(mail_address_ok(longer));
}

/* The value of a header of msg (up to its line end), or NULL. */
static char *
header(const char *msg, const char *name)
{
	const char *p = strstr(msg, name), *end;

	if (p == NULL)
		return NULL;
	p += strlen(name);
	end = strstr(p, "\r\n");
	while (end != NULL && end[2] == ' ') /* folded */
		end = strstr(end + 2, "\r\n");
	return strndup(p, (size_t)(end - p));
}

/* RFC 2047 B-words of a header value decoded and joined. */
static void
decode_words(const char *v, char *out, size_t len)
{
	const char *p = v;
	size_t o = 0, bin;

	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		const char *q = strstr(p + 10, "?=");
		char enc[200];
		assert_non_null(q);
		snprintf(enc, sizeof(enc), "%.*s", (int)(q - p - 10), p + 10);
		assert_int_equal(sodium_base642bin((unsigned char *)out + o, len - o - 1,
		    enc, strlen(enc), NULL, &bin, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		o += bin;
		p = q + 2;
	}
	out[o] = '\0';
}

static void
test_format(void **state)
{
	const char *body = "Kính gửi đồng chí,\n\nHệ thống giapranh nhắc việc: "
	    "3 việc quá hạn.\n- [Nhiệm vụ] Hoàn thiện hồ sơ mốc giới số 145\n";
	struct mail m = { "giapranh@laocai.gov.vn", "giapranh", "can.bo@simacai.vn",
		"Cán bộ huyện Si Ma Cai", "[giapranh] Nhắc việc ngày 07/12/2026: 3 việc "
		"quá hạn và 12 việc đến hạn trong tuần tới", body };
	struct err e = { 0 };
	char decoded[600], *v, *b64, *at;
	unsigned char raw[2000];
	size_t n, o = 0;
	struct buf out;

	(void)state;
	buf_init(&out, 1u << 16);
	assert_int_equal(mail_format(&m, "Mon, 07 Dec 2026 00:00:00 +0000", "abc@laocai.gov.vn",
	    &out, &e), 0);
	assert_non_null(strstr(out.data, "From: giapranh <giapranh@laocai.gov.vn>\r\n"));
	assert_non_null(strstr(out.data, "Date: Mon, 07 Dec 2026 00:00:00 +0000\r\n"));
	assert_non_null(strstr(out.data, "Message-ID: <abc@laocai.gov.vn>\r\n"));
	assert_non_null(strstr(out.data, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(out.data, "Content-Transfer-Encoding: base64\r\n"));
	/* every line is short and ASCII: no relay needs 8BITMIME */
	for (at = out.data; *at; at++)
		assert_true((unsigned char)*at < 0x80);
	for (at = out.data; (v = strstr(at, "\r\n")) != NULL; at = v + 2)
		assert_true(v - at <= 78);
	v = header(out.data, "\r\nSubject: ");
	decode_words(v, decoded, sizeof(decoded));
	assert_string_equal(decoded, m.subject);
	free(v);
	v = header(out.data, "\r\nTo: ");
	assert_non_null(strstr(v, " <can.bo@simacai.vn>"));
	decode_words(v, decoded, sizeof(decoded));
	assert_string_equal(decoded, m.to_name);
	free(v);
	/* the body decodes to the text */
	b64 = strstr(out.data, "\r\n\r\n") + 4;
	for (at = b64; (v = strstr(at, "\r\n")) != NULL; at = v + 2) {
		char line[100];
		snprintf(line, sizeof(line), "%.*s", (int)(v - at), at);
		assert_int_equal(sodium_base642bin(raw + o, sizeof(raw) - o, line, strlen(line),
		    NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
		o += n;
	}
	assert_int_equal(o, strlen(body));
	assert_memory_equal(raw, body, o);
	buf_free(&out);
}

/* Nothing of the caller's makes a header or an SMTP command of its own. */
static void
test_format_refuses_line_breaks_and_bad_addresses(void **state)
{
	struct mail ok = { "a@b.vn", NULL, "c@d.vn", NULL, "tiêu đề", "x\n" };
	struct mail cases[5];
	struct err e = { 0 };
	struct buf out;
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		cases[i] = ok;
	cases[0].subject = "a\r\nBcc: x@y.vn";
	cases[1].to_name = "Tên\nBcc: x@y.vn";
	cases[2].from_name = "a\rb";
	cases[3].to = "x@y.vn>\r\nRCPT TO:<z@w.vn";
	cases[4].from = "không hợp lệ";
	for (i = 0; i < 5; i++) {
		buf_init(&out, 1u << 16);
		assert_int_equal(mail_format(&cases[i], "d", "id@x.vn", &out, &e), -1);
		assert_int_equal(e.code, ERR_BAD_REQUEST);
		err_clear(&e);
		buf_free(&out);
	}
	buf_init(&out, 1u << 16);
	assert_int_equal(mail_format(&ok, "d", "id@x.vn", &out, &e), 0);
	buf_free(&out);
}

/* A relay that is not there, a URL of another scheme: refused with a
 * Vietnamese reason, nothing hangs. */
static void
test_send_failures(void **state)
{
	struct mail m = { "a@b.vn", NULL, "c@d.vn", NULL, "x", "y\n" };
	struct err e = { 0 };

	(void)state;
	assert_int_equal(mail_global_init(), 0);
	/* port 9 (discard) on the loopback: nothing listens in the tests */
	assert_int_equal(mail_send("smtp://127.0.0.1:9", &m, &e), -1);
	assert_int_equal(e.code, ERR_UNAVAILABLE);
	assert_non_null(strstr(e.msg, "không gửi được thư đến c@d.vn"));
	err_clear(&e);
	assert_int_equal(mail_send("http://127.0.0.1:9", &m, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
	assert_int_equal(mail_send(NULL, &m, &e), -1);
	err_clear(&e);
	m.to = "not an address";
	assert_int_equal(mail_send("smtp://127.0.0.1:9", &m, &e), -1);
	assert_int_equal(e.code, ERR_BAD_REQUEST);
	err_clear(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_refuses_line_breaks_and_bad_addresses),
		cmocka_unit_test(test_send_failures),
	};

	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}
