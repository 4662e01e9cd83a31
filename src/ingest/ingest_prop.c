/*
 * ingest_prop.c - proposals and spans, what every rule makes (ingest.c,
 * ingest_rules.c): the quoted text of tokens, a new proposal with its
 * span and sentence, the event and the date found at a token.  Moved from
 * ingest.c, unchanged, so that the rules of both files use them from
 * below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "ingest/ingest_keys.h"

json_t *
tok_text(const struct ctx *c, size_t tb, size_t te)
{
	char *s = tok_dup(c, tb, te);
	json_t *j;

	if (s == NULL)
		return NULL; /* noted by tok_dup */
	j = json_string(s);
	free(s);
	return j;
}

char *
tok_dup(const struct ctx *c, size_t tb, size_t te)
{
	size_t b, e;
	char *s;

	/* the callers read NULL as "no text": noted, ingest_extract fails */
	if (te <= tb || tb >= c->d.nt) {
		if ((s = strdup("")) == NULL)
			err_alloc_failed();
		return s;
	}
	if (te > c->d.nt)
		te = c->d.nt;
	b = c->d.t[tb].b;
	e = c->d.t[te - 1].e;
	s = malloc(e - b + 1);
	if (s == NULL) {
		err_alloc_failed();
		return NULL;
	}
	/* line breaks inside a quote read as spaces */
	for (size_t k = 0; k < e - b; k++)
		s[k] = c->d.text[b + k] == '\n' ? ' ' : c->d.text[b + k];
	s[e - b] = '\0';
	return s;
}

void
prop_span(struct ctx *c, json_t *p, size_t tb, size_t te)
{
	if (te > c->d.nt)
		te = c->d.nt;
	if (te <= tb)
		return;
	json_object_set_new(p, "span", json_pack("[I,I]",
	    (json_int_t)c->d.t[tb].b, (json_int_t)c->d.t[te - 1].e));
	json_object_set_new(p, "quote", tok_text(c, tb, te));
}

json_t *
prop_new(struct ctx *c, const char *kind, size_t tb, size_t te, double confidence)
{
	json_t *p = json_object();
	char id[16];
	const struct sent *s;

	snprintf(id, sizeof id, "p%d", ++c->next_id);
	/* a proposal without its id and kind must not be kept (the rules
	 * read them back); NULL then, which json_* take as a no-op, and
	 * ingest_extract fails */
	if (json_object_set_new(p, "id", json_string(id)) != 0 ||
	    json_object_set_new(p, PK_KIND, json_string(kind)) != 0 ||
	    json_array_append(c->props, p) != 0) {
		json_decref(p);
		err_alloc_failed();
		return NULL;
	}
	json_decref(p); /* c->props holds it */
	prop_span(c, p, tb, te);
	if (tb < c->d.nt) {
		s = &c->d.s[c->d.sent_of[tb]];
		json_object_set_new(p, "sentence", json_pack("[I,I]",
		    (json_int_t)c->d.t[s->tb].b, (json_int_t)c->d.t[s->te - 1].e));
	}
	json_object_set_new(p, "confidence", json_real(confidence));
	return p;
}

const char *
event_for(const struct ctx *c, size_t i)
{
	const char *id = NULL;

	if (c->nev == 0)
		return NULL;
	id = c->ev[0].id;
	for (size_t k = 0; k < c->nev; k++)
		if (c->ev[k].tb <= i)
			id = c->ev[k].id;
	return id;
}

const struct found_date *
date_at(const struct ctx *c, size_t i)
{
	for (size_t k = 0; k < c->ndates; k++)
		if (c->dates[k].tb == i)
			return &c->dates[k];
	return NULL;
}
