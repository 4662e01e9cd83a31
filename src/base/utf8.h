/*
 * utf8.h - well-formed UTF-8: the check and the repair that every layer
 * needs, down to the error messages of error.c (which quote input).  The
 * rest of the text handling (NFC, folding, Vietnamese parsing) is the text
 * layer's (text/text.h, which includes this header).
 */
#ifndef GIAPRANH_UTF8_H
#define GIAPRANH_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* true when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_valid_utf8(const char *s, size_t len);

/* Make the C string s well-formed UTF-8 in place: a character cut at the
 * end (snprintf into a bounded buffer) is dropped, any other byte outside a
 * well-formed sequence becomes '?'.  For messages that quote input. */
void text_fix_utf8(char *s);

#endif
