/*
 * ingest_int.h - internals of the extraction (ingest.c, ingest_lex.c,
 * ingest_rules.c): the token stream of a text, its sentences, the
 * gazetteers read from the database, and the proposal list being built.
 */
#ifndef GIAPRANH_INGEST_INT_H
#define GIAPRANH_INGEST_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct store;

#define ING_FOLD_MAX      40      /* bytes of a token's folded form          */
#define ING_TOKENS_MAX    2000000 /* tokens of one text                       */
#define ING_GZ_ROWS_MAX   200000  /* rows one gazetteer may read              */
#define ING_NAME_TOKENS   6       /* tokens of a place or person name         */
#define ING_PHRASE_MAX    512     /* bytes of a folded phrase built for lookup */
#define ING_QUOTE_MAX     2000    /* bytes of a quote or a content field      */

enum tok_type { TK_WORD, TK_NUM, TK_PUNCT, TK_NL };

struct tok {
	size_t b, e;            /* bytes [b, e) of the text                   */
	enum tok_type type;
	bool sp;                /* white space (or the start) before it       */
	bool cap;               /* a word beginning with an upper-case letter */
	bool upper;             /* every letter upper case ("UBND", "VĂN")     */
	char f[ING_FOLD_MAX];   /* folded: "Ủy" -> "uy", "–" -> "-"           */
};

struct sent {
	size_t tb, te;          /* tokens [tb, te)                            */
};

/* ---- gazetteers ---------------------------------------------------------- */

struct gz_unit {
	char *key;              /* folded bare name: "si ma cai"              */
	char *sq;               /* its lex_squash key: "simacai"              */
	char *name;             /* "Huyện Si Ma Cai"                          */
	char code[16];
	char type_f[32];        /* folded type: "huyen", "thanh pho", "xa"    */
	int level;              /* 1 province, 2 district, 3 commune          */
	int vintage;            /* 2024, 2025 or 0 (both)                     */
	int64_t id, parent_id;
};

struct gz_name {
	char *key;              /* folded name or alias                       */
	char *name;             /* the record's name as written               */
	int64_t id;
	int64_t unit;           /* an organisation's admin_unit id, or 0      */
	char aux[32];           /* organisation kind, foreign country          */
};

/* A position a person held (the `position` records). */
struct gz_pos {
	int64_t person, org;
	char *title;            /* folded title                               */
	char *raw;              /* the title as stored                        */
	char from[11], to[11];  /* valid_from, valid_to ("" when open)        */
};

struct gz_link { int64_t from, to; };
struct gz_idx { int64_t id; size_t idx; };

struct gaz {
	struct gz_unit *u;      /* sorted by key                              */
	size_t nu;
	struct gz_idx *by_id;   /* indexes into u sorted by id                */
	size_t *by_sq;          /* indexes into u sorted by squashed key      */
	struct gz_link *lin;    /* lineage old -> new, sorted by old          */
	size_t nlin;
	struct gz_name *people, *orgs, *foreign;
	size_t npeople, norgs, nforeign;
	struct gz_pos *pos;     /* sorted by person                           */
	size_t npos;
};

/* ingest.h's handle: one gazetteer, loaded once */
struct ingest_gazetteer {
	struct gaz g;
};

int gaz_load(struct store *st, struct gaz *g, struct err *e);
void gaz_free(struct gaz *g);
/* Units whose bare name has the folded key: the first index and count. */
size_t gaz_units(const struct gaz *g, const char *key, size_t *first);
/* Units whose squashed bare name is `sq`: the first index into g->by_sq
 * and the count. */
size_t gaz_units_sq(const struct gaz *g, const char *sq, size_t *first);
const struct gz_unit *gaz_unit_by_id(const struct gaz *g, int64_t id);
/* A folded name in a sorted name list, or NULL. */
const struct gz_name *gaz_name(const struct gz_name *list, size_t n,
    const char *key);
/* Do two titles as written name one office (one of the comma-separated
 * offices of each: mostly the same words, both or neither a deputy)? */
bool lex_titles_agree(const char *a, const char *b);
/* Every entry of a sorted name list with the folded key: the first index
 * and the count (several records may share a name). */
size_t gaz_names(const struct gz_name *list, size_t n, const char *key,
    size_t *first);
/* The stored person a person found in a text is: the one with that name
 * (folded) holding, on `date` (ISO, or "" for any), a position whose title
 * agrees with `title` (as written in the text); 0 when none or several.  A
 * name alone is not enough: "Hoàng Quốc Khánh, Phó Chủ tịch UBND tỉnh Lào
 * Cai" is not "Hoàng Quốc Khánh, Chủ tịch UBND tỉnh Sơn La".  When the name
 * is known but nobody agrees, *candidates gets the stored people of that
 * name with their positions on that date (a new JSON array), else NULL. */
int64_t gaz_person(const struct gaz *g, const char *name_key, const char *title,
    const char *date, json_t **candidates);
/* The stored organisation a body found in a text is: among those named
 * `key` (folded), the one whose unit the text names (`places`: folded bare
 * names of the units it names, NULL-terminated) when several share the
 * name ("UBND huyện" of two provinces); 0 when none or undecided, with
 * *candidates (a new JSON array) when several were possible. */
int64_t gaz_org(const struct gaz *g, const char *key, const char *const *places,
    json_t **candidates);

/* 2025 successor codes of a pre-2025 unit (own lineage rows, else those of
 * the units below it), as a JSON array of strings. */
json_t *gaz_successors(const struct gaz *g, const struct gz_unit *u);

/* ---- the document ---------------------------------------------------------- */

struct doc {
	const char *text;
	size_t len;
	struct tok *t;
	size_t nt;
	struct sent *s;
	size_t ns;
	size_t *sent_of;        /* token -> sentence                          */
	char *folded;           /* " tok tok tok " of the whole text           */
	size_t *fold_tok;       /* offset in folded of each token's start      */
};

int doc_build(struct doc *d, const char *text, size_t len, struct err *e);
void doc_free(struct doc *d);

/* Matching folded phrases ("ban thuong vu tinh uy", "d / c") against the
 * tokens from i on (every token type; a line break never matches).
 * Returns the number of tokens matched, 0 for none. */
size_t tok_phrase(const struct doc *d, size_t i, const char *phrase);
/* Longest phrase of a NULL-terminated list matching at i; *which gets its
 * index (may be NULL). */
size_t tok_phrases(const struct doc *d, size_t i, const char *const *list,
    size_t *which);
bool tok_is(const struct doc *d, size_t i, const char *folded);
/* Folded words of tokens [b, e) joined by spaces into buf. */
bool tok_key(const struct doc *d, size_t b, size_t e, char *buf, size_t len);
/* Does the folded text of tokens [b, e) contain the whole words `key`? */
bool tok_range_has(const struct doc *d, size_t b, size_t e, const char *key);

/* Token i written as `word` (NFC, lower case), case aside but with its
 * diacritics: "bản" (a village) is not "ban" (a board), "bạn" (the
 * neighbour) nor "bàn" ("địa bàn"), which fold alike. */
bool tok_raw(const struct doc *d, size_t i, const char *word);
/* The words of `phrase` written so from token i on. */
bool tok_raw_phrase(const struct doc *d, size_t i, const char *phrase);
/* The key that spelling variants of a name share: the folded name
 * without spaces, hyphens or apostrophes, y as i, x as s, a doubled
 * letter once ("Đakrông" ~ "Đa Krông", "Ga Ry" ~ "Ga Ri", "Bha Lêê" ~
 * "Bha Lê", "Sê-Kông" ~ "Xê Kông"). */
void lex_squash(const char *folded, char *out, size_t len);

/* Lexicon lookups (ingest_lex.c). */
bool lex_surname(const char *folded);
bool lex_title_head(const struct doc *d, size_t i, size_t *n);
/* A unit type word at i: its length in tokens and the levels it allows
 * (bit 1 province, 2 district, 3 commune, 4 village). */
size_t lex_unit_type(const struct doc *d, size_t i, unsigned *levels);
/* A body (UBND, Tỉnh ủy, Sở, Đồn Biên phòng…) at i: tokens and kind. */
size_t lex_body(const struct doc *d, size_t i, const char **kind);
/* A document kind at i ("Nghị quyết"): tokens and the Vietnamese name. */
size_t lex_doc_kind(const struct doc *d, size_t i, const char **name);
/* "hội đàm", "hội nghị", "cuộc họp"… at i (what minutes record): words, 0 */
size_t lex_meeting_noun(const struct doc *d, size_t i);
/* A foreign place known without the database (Vân Nam, Quảng Tây…), as
 * written or as a spelling variant: its country, *level and *canon (the
 * folded name its spellings share: "Attapư", "Attapeu" -> "at ta pu");
 * both may be NULL. */
const char *lex_foreign(const char *folded_name, const char **level,
    const char **canon);
/* A type word only units across the border have ("châu", "mường", "cụm
 * bản", "phum", "khu tự trị" …) at i, before a name: its tokens, level and
 * country. */
size_t lex_foreign_type(const struct doc *d, size_t i, const char **level,
    const char **country);
/* The level of a unit across the border from its type word [i, i+n). */
const char *lex_foreign_level_of(const struct doc *d, size_t i, size_t n);
/* A standard department name after "Sở"/"Phòng" at i ("Văn hóa, Thể thao
 * và Du lịch"): its tokens, 0 for none. */
size_t lex_dept_name(const struct doc *d, size_t i);
/* A military or police rank at i ("Đại tá"): its tokens. */
size_t lex_rank(const struct doc *d, size_t i);
/* A common directive verb at i, lower case ("chủ trì"): its tokens. */
size_t lex_verb(const struct doc *d, size_t i);
/* Is "giao" at i the verb of assigning (not "Ngoại giao", "giao lưu")? */
bool lex_giao_verb(const struct doc *d, size_t i);
/* A count written as a word ("hai", "ba", "các") at i. */
bool lex_number_word(const struct doc *d, size_t i);
/* Is the folded word a country name; writes its code. */
size_t lex_country(const struct doc *d, size_t i, const char **code);

/* ---- the extraction in progress ------------------------------------------ */

/* token marks: what a token was already read as */
#define MK_DATE   0x01u
#define MK_DOC    0x02u
#define MK_PLACE  0x04u
#define MK_ORG    0x08u
#define MK_PERSON 0x10u
#define MK_FIGURE 0x20u
#define MK_COUNT  0x40u  /* a count of a commendation */

struct found_date {
	size_t tb, te;          /* tokens                                     */
	char start[11], end[11];
	const char *gran;       /* "day", "range", "month", "quarter", "year",
	                         * "period", "partial"                        */
	const char *qual;       /* "partial": "đầu", "giữa", "cuối"            */
	bool open_end;          /* "từ năm 2021 đến nay"                       */
	bool days;              /* a period of days: "từ ngày 18 đến 20/3"    */
	bool no_year;           /* a day and month whose year was resolved    */
};

struct found_event {
	size_t tb, te;          /* tokens of its sentence(s)                  */
	char id[16];
	char date[11];
};

struct ctx {
	struct doc d;
	struct gaz g;
	const struct ingest_options *opt;
	json_t *props;          /* the proposals, in the order found         */
	int next_id;
	unsigned char *mark;    /* per token                                  */
	char ref_date[11];      /* resolves a day and month without a year    */
	bool ref_after;         /* ref_date is a lower bound (no dateline):
	                         * the first such day on or after it          */
	char ref_now[11];       /* today, or the "now" option                 */
	bool ref_clock;         /* no date in the text nor given: ref_date is
	                         * today, a placeholder, not a fact           */
	size_t dateline_tb;     /* token of the page's own date, or -1        */
	char unit_date[11];     /* the date units are resolved on             */
	struct found_date *dates;
	size_t ndates, capdates;
	struct found_event ev[64];
	size_t nev;
	json_t *seen;           /* dedupe keys -> proposal                     */
	json_t *seen_abbrev;    /* abbreviations the text defines -> words     */
	struct { size_t nb, ne; } pm[256]; /* names of people, in text order */
	size_t npm;
	char main_unit[3][96];  /* folded bare names: [1] province, [2] district */
};

/* A new proposal of `kind` for tokens [tb, te), its sentence recorded too;
 * appended to c->props (borrowed reference returned). */
json_t *prop_new(struct ctx *c, const char *kind, size_t tb, size_t te,
    double confidence);
/* Widen a proposal's span (and quote) to tokens [tb, te). */
void prop_span(struct ctx *c, json_t *p, size_t tb, size_t te);
/* The text of tokens [tb, te) as written, as a new JSON string. */
json_t *tok_text(const struct ctx *c, size_t tb, size_t te);
char *tok_dup(const struct ctx *c, size_t tb, size_t te);
/* The id of the event a mention at token i belongs to, or NULL. */
const char *event_for(const struct ctx *c, size_t i);
/* The date found starting at token i, or NULL. */
const struct found_date *date_at(const struct ctx *c, size_t i);

/* rules (ingest_rules.c), in the order ingest_extract runs them */
void rule_places(struct ctx *c);
void rule_places_done(struct ctx *c);
void rule_people(struct ctx *c);
void rule_orgs(struct ctx *c);
void rule_commendations(struct ctx *c);
void rule_figures(struct ctx *c);
void rule_statements(struct ctx *c);

#endif
