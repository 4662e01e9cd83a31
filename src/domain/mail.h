/*
 * mail.h - one e-mail through an SMTP relay named by a URL (smtp://host:port,
 * smtps://host; user:password@ in the URL for a relay that asks), sent with
 * libcurl: plain text in Vietnamese, UTF-8.
 *
 * The message is built here (mail_format): the subject and display names
 * encoded as RFC 2047 words, the body in base64, so that no relay needs
 * 8BITMIME and no line is too long.  Addresses are checked before use: a
 * CR or LF in one would add headers or SMTP commands of the writer's
 * choosing (an address is data users type).
 */
#ifndef GIAPRANH_MAIL_H
#define GIAPRANH_MAIL_H

#include <stdbool.h>

#include "base/buf.h"
#include "base/error.h"

struct mail {
	const char *from;      /* the sender's address (configuration)         */
	const char *from_name; /* its display name, or NULL                    */
	const char *to;        /* the recipient's address                      */
	const char *to_name;   /* the recipient's name, or NULL                */
	const char *subject;   /* UTF-8, one line                              */
	const char *body;      /* UTF-8 text, lines ending in \n               */
};

/* libcurl's global start: once, before threads (main). -1 when it fails. */
int mail_global_init(void);

/* An address an SMTP envelope and a header can carry: local@domain in
 * printable ASCII, no spaces, brackets, quotes, commas or control
 * characters, at most MAIL_ADDRESS_MAX bytes. */
bool mail_address_ok(const char *addr);

/* The message as it goes to the relay (RFC 5322 headers, a blank line,
 * the body), appended to out; date is its Date header's text, msgid its
 * Message-ID without brackets.  -1 with e when an address is not usable
 * or the buffer is full. */
int mail_format(const struct mail *m, const char *date, const char *msgid,
    struct buf *out, struct err *e);

/* Send m through the relay at url (MAIL_TIMEOUT_S at most): 0, or -1 with
 * e (ERR_BAD_REQUEST for an unusable address or URL, ERR_UNAVAILABLE when
 * the relay could not be reached or refused the mail). */
int mail_send(const char *url, const struct mail *m, struct err *e);

#endif
