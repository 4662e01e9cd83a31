/*
 * ingest_rules.c - the rules for places (administrative and foreign
 * units), people with their titles and roles, organisations, figures,
 * commendations, recommendations and tasks.  See ingest.c for the driver
 * and docs/INGEST.md for what each proposal holds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_int.h"
#include "ingest/ingest_keys.h"
#include "text/text.h"

static bool
is_punct(const struct doc *d, size_t i, const char *p)
{
	return i < d->nt && d->t[i].type == TK_PUNCT && strcmp(d->t[i].f, p) == 0;
}

static bool
is_dashp(const struct doc *d, size_t i)
{
	return is_punct(d, i, "-");
}

static bool
in_list(const char *f, const char *const *list)
{
	for (size_t k = 0; list[k] != NULL; k++)
		if (strcmp(f, list[k]) == 0)
			return true;
	return false;
}

static const struct sent *
sent_of(const struct ctx *c, size_t i)
{
	return &c->d.s[c->d.sent_of[i < c->d.nt ? i : c->d.nt - 1]];
}

/* Is token q a hyphen or an apostrophe inside a word ("Sê-Kông",
 * "Khăm-vớ", "Ch'Ơm"): glued on both sides to words. */
static bool
inner_joint(const struct doc *d, size_t q)
{
	if (q == 0 || q + 1 >= d->nt || d->t[q].type != TK_PUNCT || d->t[q].sp ||
	    d->t[q + 1].sp || d->t[q - 1].type != TK_WORD || d->t[q + 1].type != TK_WORD)
		return false;
	return strcmp(d->t[q].f, "-") == 0 || strcmp(d->t[q].f, "'") == 0 ||
	    strcmp(d->t[q].f, "\xe2\x80\x99") == 0;
}

/* A run of capitalised words from i in the same sentence, not crossing
 * punctuation other than a hyphen or an apostrophe inside a word: its end
 * (== i for none); max counts words. */
static size_t
cap_run(const struct ctx *c, size_t i, size_t max)
{
	const struct sent *s = sent_of(c, i);
	const struct doc *d = &c->d;
	size_t q = i, words = 0;

	/* a headline in capitals has no names to find by case */
	while (q < s->te && words < max) {
		if (d->t[q].type == TK_WORD && d->t[q].cap &&
		    !(d->t[q].upper && d->t[q].e - d->t[q].b > 1 &&
		    s->te - s->tb > 3 && d->t[s->tb].upper && d->t[s->tb + 1].upper)) {
			q++;
			words++;
			continue;
		}
		if (q > i && inner_joint(d, q) && q + 1 < s->te) {
			q += 2;
			words++;
			continue;
		}
		break;
	}
	return q;
}

/* ---- administrative units ------------------------------------------------------- */

static const char *
level_name(int level)
{
	static const char *const names[] = { "", "province", "district",
		"commune", PLEVEL_VILLAGE };

	return level >= 1 && level <= 4 ? names[level] : "commune";
}

/* Score a candidate unit by the places the text names near it: its
 * district and province in the same sentence weigh most.  A parent named
 * like the unit itself ("Thành phố Lạng Sơn" in "Tỉnh Lạng Sơn") is not
 * evidence: the mention of the name is what is being resolved. */
static double
unit_score(const struct ctx *c, const struct gz_unit *u, size_t i)
{
	const struct sent *s = sent_of(c, i);
	const struct gz_unit *p = gaz_unit_by_id(&c->g, u->parent_id);
	double sc = 0;
	int depth = 0;
	char pat[ING_PHRASE_MAX];

	while (p != NULL && depth++ < 3) {
		double w = depth == 1 ? 4 : 2;
		/* a paragraph either side counts as nearby */
		size_t pb = s->tb > 80 ? s->tb - 80 : 0, pe = s->te + 80;
		if (pe > c->d.nt)
			pe = c->d.nt;
		if (strcmp(p->key, u->key) != 0) {
			if (tok_range_has(&c->d, s->tb, s->te, p->key))
				sc += w;
			else if (tok_range_has(&c->d, pb, pe, p->key))
				sc += w / 2;
			snprintf(pat, sizeof pat, " %s ", p->key);
			if (strstr(c->d.folded, pat) != NULL)
				sc += 1;
		}
		p = gaz_unit_by_id(&c->g, p->parent_id);
	}
	return sc;
}

/* The folded type word of a unit as the gazetteer writes it. */
static const char *
type_canon(const char *type_f)
{
	if (type_f == NULL)
		return NULL;
	if (strncmp(type_f, "tp", 2) == 0)
		return "thanh pho";
	if (strncmp(type_f, "tx", 2) == 0)
		return "thi xa";
	if (strncmp(type_f, "tt", 2) == 0)
		return "thi tran";
	return type_f;
}

/* Best unit for the folded name with one of the allowed levels.  The
 * candidates are tried in this order: the vintage of the resolution date
 * with the name as written, then with a spelling variant of it (same
 * squashed key: "Bha Lêê", "Sà Phìn" in a 2024 text are Bha Lê, Xà Phìn),
 * then the other vintage.  NULL when unknown or when two candidates tie;
 * *ncand counts those of the deciding pass. */
static const struct gz_unit *
resolve_unit(const struct ctx *c, const char *key, unsigned levels,
    const char *type_f, size_t at, int *ncand)
{
	size_t first, n = gaz_units(&c->g, key, &first), sfirst, sn;
	char sq[ING_PHRASE_MAX];
	int want = strcmp(c->unit_date, "2025-07-01") < 0 ? 2024 : 2025;
	const struct gz_unit *best = NULL;
	double bs = -1;
	bool tie = false;

	lex_squash(key, sq, sizeof sq);
	sn = gaz_units_sq(&c->g, sq, &sfirst);
	type_f = type_canon(type_f);
	*ncand = 0;
	for (int pass = 0; pass < 4 && best == NULL; pass++) {
		bool exact = pass == 0 || pass == 2;
		bool own = pass < 2;
		size_t cnt = exact ? n : sn;
		for (size_t k = 0; k < cnt; k++) {
			const struct gz_unit *u = exact ? &c->g.u[first + k] :
			    &c->g.u[c->g.by_sq[sfirst + k]];
			double sc;
			if (!(levels & (1u << u->level)))
				continue;
			if (u->vintage != 0 && own != (u->vintage == want))
				continue;
			(*ncand)++;
			sc = unit_score(c, u, at);
			if (type_f != NULL && strncmp(u->type_f, type_f, strlen(type_f)) == 0)
				sc += 0.5;
			/* a name written without a type word ("tại Lạng Sơn",
			 * "BĐBP Nghệ An") names the province that has it */
			if (type_f == NULL && u->level == 1)
				sc += 0.75;
			if (sc > bs) {
				bs = sc;
				best = u;
				tie = false;
			} else if (sc == bs && u != best) {
				tie = true;
			}
		}
	}
	return tie ? NULL : best;
}

/* Longest prefix of the capitalised run [i, e) naming a unit with one of
 * the levels (as written or as a spelling variant): its end, 0 for none. */
static size_t
unit_name_at(const struct ctx *c, size_t i, size_t e, unsigned levels,
    const char *type_f, const struct gz_unit **out, int *ncand)
{
	char key[ING_PHRASE_MAX], sq[ING_PHRASE_MAX];

	for (size_t q = e; q > i; q--) {
		size_t first;
		if (c->d.t[q - 1].type == TK_PUNCT)
			continue;
		if (!tok_key(&c->d, i, q, key, sizeof key))
			continue;
		lex_squash(key, sq, sizeof sq);
		if (gaz_units(&c->g, key, &first) == 0 &&
		    (sq[0] == '\0' || gaz_units_sq(&c->g, sq, &first) == 0))
			continue;
		*out = resolve_unit(c, key, levels, type_f, i, ncand);
		if (*ncand > 0)
			return q;
	}
	return 0;
}

/* The country of a foreign place named `key` (folded): a foreign_unit
 * record (by name or alias), else the built-in list; *level its level when
 * known (may be NULL). */
static const char *
foreign_country(const struct ctx *c, const char *key, int64_t *id,
    const char **level)
{
	static const char *const codes[] = { "CN", "LA", "KH", "TH", "MM", NULL };
	static const struct { const char *type, *level; } levels[] = {
		{ "province_cn", "province" }, { "khoueng", "province" },
		{ "prefecture", "prefecture" }, { "county", "district" },
		{ "muong", "district" }, { "township_huong", "township" },
		{ "township_tran", "township" }, { "ban", PLEVEL_VILLAGE },
	};
	const struct gz_name *n = gaz_name(c->g.foreign, c->g.nforeign, key);
	const char *lv = NULL, *country;

	*id = 0;
	if (n != NULL) {
		const char *t = strchr(n->aux, ':');
		*id = n->id;
		for (size_t k = 0; t != NULL && k < sizeof levels / sizeof levels[0]; k++)
			if (strcmp(t + 1, levels[k].type) == 0)
				lv = levels[k].level;
		if (level != NULL)
			*level = lv;
		for (size_t k = 0; codes[k] != NULL; k++)
			if (strncmp(n->aux, codes[k], 2) == 0)
				return codes[k];
		return "";
	}
	country = lex_foreign(key, &lv, NULL);
	if (level != NULL)
		*level = lv;
	return country;
}

/* The words that name a country or stand before its name in a chain:
 * "Trung Quốc", "(lào)", "Việt Nam", "nước", "Vương quốc", "CHDCND",
 * "Cộng hòa dân chủ nhân dân": their tokens, 0 for none; *code the
 * country when they name one ("VN" for Vietnam). */
static size_t
country_words(const struct doc *d, size_t i, const char **code)
{
	size_t n;

	*code = NULL;
	if ((n = lex_country(d, i, code)) > 0)
		return n;
	if ((n = tok_phrase(d, i, "viet nam")) > 0) {
		*code = "VN";
		return n;
	}
	if (tok_is(d, i, "nuoc") || tok_is(d, i, "chdcnd") || tok_is(d, i, "chxhcn") ||
	    tok_is(d, i, "chnd"))
		return 1;
	if ((n = tok_phrase(d, i, "vuong quoc")) > 0)
		return n;
	if (tok_phrase(d, i, "cong hoa")) {
		/* up to the country's name: "Cộng hòa Dân chủ Nhân dân Lào" */
		size_t m = i + 2;
		const char *cc;
		while (m < d->nt && m < i + 9 && d->t[m].type == TK_WORD &&
		    lex_country(d, m, &cc) == 0 && !tok_phrase(d, m, "viet nam"))
			m++;
		return m - i;
	}
	return 0;
}

static bool
sentence_names_country(const struct ctx *c, size_t i)
{
	const struct sent *s = sent_of(c, i);
	const char *code;

	for (size_t k = s->tb; k < s->te; k++)
		if (lex_country(&c->d, k, &code) > 0)
			return true;
	return tok_range_has(&c->d, s->tb, s->te, "nuoc ban") ||
	    tok_range_has(&c->d, s->tb, s->te, "phia ban") ||
	    tok_range_has(&c->d, s->tb, s->te, "doi dang");
}

/* The one country the sentence names ("(Lào)", "Vương quốc Campuchia"),
 * or NULL for none or several. */
static const char *
sentence_country(const struct ctx *c, size_t i)
{
	const struct sent *s = sent_of(c, i);
	const char *code, *one = NULL;

	for (size_t k = s->tb; k < s->te; k++)
		if (lex_country(&c->d, k, &code) > 0) {
			if (one != NULL && strcmp(one, code) != 0)
				return NULL;
			one = code;
		}
	return one;
}

/* Is the folded name a Vietnamese province (a province is never labelled
 * foreign, whatever country its sentence names)? */
static bool
vn_province(const struct ctx *c, const char *key)
{
	size_t first, n = gaz_units(&c->g, key, &first);

	for (size_t k = first; k < first + n; k++)
		if (c->g.u[k].level == 1)
			return true;
	return false;
}

/* The key a foreign place is kept under: its squashed name, or the name
 * its spellings share in the lexicon, so that "Sê Kông" and "Sê-Kông",
 * "Attapư" and "Attapeu" are one place. */
static void
foreign_key(const struct ctx *c, size_t nb, size_t ne, char *sk, size_t len)
{
	char key[ING_PHRASE_MAX], sq[ING_PHRASE_MAX];
	const char *canon = NULL;

	tok_key(&c->d, nb, ne, key, sizeof key);
	if (lex_foreign(key, NULL, &canon) != NULL && canon != NULL)
		lex_squash(canon, sq, sizeof sq);
	else
		lex_squash(key, sq, sizeof sq);
	snprintf(sk, len, "foreign:%s", sq);
}

/* A unit across the border: tokens [tb, te) as written, the name [nb, ne).
 * A name read before is the same place, unless both give different levels
 * ("phum Xom, xã Xom": a village and its commune).  False (nothing
 * proposed) for a Vietnamese province's name. */
static bool
emit_foreign(struct ctx *c, size_t tb, size_t te, size_t nb, size_t ne,
    const char *country, int64_t id, const char *level, double conf)
{
	char key[ING_PHRASE_MAX], sk[ING_PHRASE_MAX + 48];
	json_t *p;
	int64_t fid;

	tok_key(&c->d, nb, ne, key, sizeof key);
	if (vn_province(c, key) && foreign_country(c, key, &fid, NULL) == NULL)
		return false;
	for (size_t k = tb; k < te; k++)
		c->mark[k] |= MK_PLACE;
	foreign_key(c, nb, ne, sk, sizeof sk);
	if ((p = json_object_get(c->seen, sk)) != NULL) {
		const char *ol = json_string_value(json_object_get(p, PK_LEVEL));
		if (ol == NULL && level != NULL)
			json_object_set_new(p, PK_LEVEL, json_string(level));
		if (ol == NULL || level == NULL || strcmp(ol, level) == 0)
			return true;
		size_t l = strlen(sk);
		snprintf(sk + l, sizeof sk - l, ":%s", level);
		if (json_object_get(c->seen, sk) != NULL)
			return true;
	}
	p = prop_new(c, PKIND_FOREIGN_UNIT, tb, te, conf);
	json_object_set_new(p, PK_TEXT, tok_text(c, tb, te));
	json_object_set_new(p, PK_COUNTRY, country && country[0] ? json_string(country) :
	    json_null());
	json_object_set_new(p, PK_LEVEL, level ? json_string(level) : json_null());
	json_object_set_new(p, PK_FOREIGN_UNIT_ID, id > 0 ? json_integer(id) : json_null());
	json_object_set(c->seen, sk, p);
	if (strchr(sk + 8, ':') == NULL) {
		/* the place named without its type word later */
		foreign_key(c, nb, ne, sk, sizeof sk);
		if (json_object_get(c->seen, sk) == NULL)
			json_object_set(c->seen, sk, p);
	}
	return true;
}

/* Was the name [nb, ne) read as a place across the border before? */
static bool
seen_foreign(const struct ctx *c, size_t nb, size_t ne)
{
	char sk[ING_PHRASE_MAX + 16];

	foreign_key(c, nb, ne, sk, sizeof sk);
	return json_object_get(c->seen, sk) != NULL;
}

static void
emit_unit(struct ctx *c, size_t tb, size_t te, size_t nb, size_t ne, int level,
    const struct gz_unit *u, int ncand)
{
	char key[ING_PHRASE_MAX], sk[ING_PHRASE_MAX + 32];
	json_t *p;

	for (size_t k = tb; k < te; k++)
		c->mark[k] |= MK_PLACE;
	if (u != NULL)
		snprintf(sk, sizeof sk, "unit:%s:%d", u->code, u->vintage);
	else {
		/* a village written two ways ("khu Tràng Vỹ", "thôn Tràng
		 * Vĩ") is one */
		char sq[ING_PHRASE_MAX];
		tok_key(&c->d, nb, ne, key, sizeof key);
		lex_squash(key, sq, sizeof sq);
		snprintf(sk, sizeof sk, "unit:?%d:%s", level, sq);
	}
	if (json_object_get(c->seen, sk) != NULL)
		return;
	p = prop_new(c, "unit", tb, te, u != NULL ? 0.9 : ncand > 1 ? 0.5 : 0.4);
	json_object_set_new(p, PK_TEXT, tok_text(c, tb, te));
	json_object_set_new(p, PK_LEVEL, json_string(level_name(u ? u->level : level)));
	if (u != NULL) {
		/* the text writes the name otherwise: say which unit it is */
		tok_key(&c->d, nb, ne, key, sizeof key);
		if (strcmp(key, u->key) != 0)
			json_object_set_new(p, "variant_of", json_string(u->name));
		json_object_set_new(p, PK_CODE, json_string(u->code));
		json_object_set_new(p, "vintage", u->vintage ? json_integer(u->vintage) : json_null());
		json_object_set_new(p, PK_NAME, json_string(u->name));
		json_object_set_new(p, "successors", u->vintage == 2024 ?
		    gaz_successors(&c->g, u) : json_array());
	} else {
		json_object_set_new(p, PK_CODE, json_null());
		json_object_set_new(p, "vintage", json_null());
		json_object_set_new(p, "successors", json_array());
		if (ncand > 1)
			json_object_set_new(p, "candidates", json_integer(ncand));
	}
	json_object_set(c->seen, sk, p);
}

static int
first_level(unsigned levels)
{
	for (int l = 1; l <= 4; l++)
		if (levels & (1u << l))
			return l;
	return 3;
}

/* What the capitalised run [nb, re) of a chain says of its country: a
 * known foreign place (longest prefix first) gives its country, a
 * Vietnamese province "VN", a country word inside it ("Hóa-Việt Nam",
 * "Trung Quốc") that country; NULL for nothing.  *ne: the name's end. */
static const char *
run_country(const struct ctx *c, size_t nb, size_t re, size_t *ne)
{
	const struct doc *d = &c->d;
	char key[ING_PHRASE_MAX];
	const char *code;
	int64_t fid;

	*ne = re;
	for (size_t q = re; q > nb; q--) {
		if (d->t[q - 1].type != TK_WORD || !tok_key(d, nb, q, key, sizeof key))
			continue;
		if ((code = foreign_country(c, key, &fid, NULL)) != NULL && code[0]) {
			*ne = q;
			return code;
		}
		if (vn_province(c, key)) {
			*ne = q;
			return "VN";
		}
	}
	for (size_t k = nb; k < re; k++) {
		if (tok_phrase(d, k, "viet nam") == 2)
			return "VN";
		if (lex_country(d, k, &code) > 0)
			return code;
	}
	return NULL;
}

/* The country a chain of places from token q names: ", huyện X, tỉnh Y
 * (Lào)", " (thị trấn A, TP B, tỉnh Quảng Tây, Trung Quốc)", "-Lào", ",
 * nước CHDCND Lào", " huyện Sa Muồi, tỉnh Salavan": the first country or
 * known foreign place in it, "VN" when that is Vietnam or a Vietnamese
 * province, NULL when the chain says nothing.  *endp: where the chain
 * ends (its last place of that country). */
static const char *
chain_country(const struct ctx *c, size_t q, size_t *endp)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, q);
	size_t k = q, members = 0;
	const char *first = NULL;

	*endp = q;
	while (k < s->te && k < q + 48) {
		size_t tn, re, ne, n;
		unsigned lv;
		const char *fl, *fc, *code;
		if (is_punct(d, k, ",") || is_punct(d, k, "-") || is_punct(d, k, "(") ||
		    (is_punct(d, k, ")") && members > 0)) {
			k++;
			continue;
		}
		if ((n = country_words(d, k, &code)) > 0) {
			if (code != NULL) {
				if (first != NULL && strcmp(first, code) != 0)
					break;
				first = code;
				*endp = k + n;
			}
			k += n;
			continue;
		}
		tn = lex_unit_type(d, k, &lv);
		if (tn == 0)
			tn = lex_foreign_type(d, k, &fl, &fc);
		if (d->t[k].type != TK_WORD || (tn == 0 && !d->t[k].cap))
			break;
		re = cap_run(c, k + tn, ING_NAME_TOKENS);
		if (re == k + tn)
			break;
		members++;
		if ((code = run_country(c, k + tn, re, &ne)) != NULL) {
			if (first != NULL && strcmp(first, code) != 0)
				break;
			first = code;
		}
		*endp = re;
		k = re;
	}
	return first;
}

/* The level of a foreign place written with the type word [tb, nb) or
 * known by its name [nb, ne). */
static const char *
foreign_level(const struct ctx *c, size_t tb, size_t nb, size_t ne)
{
	const char *lv = NULL, *fc;
	char key[ING_PHRASE_MAX];
	int64_t fid;

	if (nb > tb && lex_foreign_type(&c->d, tb, &lv, &fc) == nb - tb)
		return lv;
	if (nb > tb)
		return lex_foreign_level_of(&c->d, tb, nb - tb);
	tok_key(&c->d, nb, ne, key, sizeof key);
	(void)foreign_country(c, key, &fid, &lv);
	return lv;
}

/* Every place of the chain [from, end) proposed as a unit of `country`:
 * "thôn Vạn Vĩ (thị trấn Giang Bình, TP Đông Hưng, tỉnh Quảng Tây, Trung
 * Quốc)" is four places of China, whatever Vietnamese units share their
 * names; the country words themselves are not places. */
static void
emit_chain(struct ctx *c, size_t from, size_t end, const char *country)
{
	const struct doc *d = &c->d;
	size_t k = from;

	while (k < end) {
		size_t tn, re, ne;
		unsigned lv;
		const char *fl, *fc, *code;
		int64_t fid = 0;
		char key[ING_PHRASE_MAX];
		size_t cw;
		if (d->t[k].type != TK_WORD) {
			k++;
			continue;
		}
		if ((cw = country_words(d, k, &code)) > 0) {
			k += cw;
			continue;
		}
		tn = lex_unit_type(d, k, &lv);
		if (tn == 0)
			tn = lex_foreign_type(d, k, &fl, &fc);
		re = cap_run(c, k + tn, ING_NAME_TOKENS);
		if (re > end)
			re = end;
		if (re == k + tn) {
			k++;
			continue;
		}
		/* a country word ends the place before it: "Savannakhet-Lào" */
		ne = re;
		for (size_t m = k + tn; m < re; m++)
			if (m > k + tn && (lex_country(d, m, &code) > 0 ||
			    tok_phrase(d, m, "viet nam") == 2)) {
				ne = m;
				while (ne > k + tn && d->t[ne - 1].type == TK_PUNCT)
					ne--;
				break;
			}
		tok_key(d, k + tn, ne, key, sizeof key);
		(void)foreign_country(c, key, &fid, NULL);
		emit_foreign(c, k, ne, k + tn, ne, country, fid,
		    foreign_level(c, k, k + tn, ne), 0.75);
		k = re;
	}
}

/* The end of a village's name from nb: its capitalised words and a
 * number or numeral after them ("Ka Túp 2", "Lao Khô I"). */
static size_t
village_end(const struct ctx *c, size_t nb)
{
	const struct doc *d = &c->d;
	size_t re = cap_run(c, nb, ING_NAME_TOKENS);

	if (re > nb && re < d->nt && d->t[re].type == TK_NUM && d->t[re].sp &&
	    d->t[re].e - d->t[re].b <= 2 && (re + 1 >= d->nt ||
	    d->t[re + 1].type != TK_WORD))
		re++;
	return re;
}

/* A unit named from token i (its type word first), then the list that may
 * follow it ("huyện Si Ma Cai, Bắc Hà và Xín Mần").  Returns the end. */
static size_t
unit_mention(struct ctx *c, size_t i, size_t tn, unsigned levels)
{
	const struct doc *d = &c->d;
	size_t nb = i + tn, re = cap_run(c, nb, ING_NAME_TOKENS), ne, cend;
	const struct gz_unit *u = NULL;
	int ncand = 0;
	char type_f[32];
	int64_t fid;
	const char *country, *lv;
	char key[ING_PHRASE_MAX];

	if (re == nb)
		return i + 1;
	tok_key(d, i, nb, type_f, sizeof type_f);
	/* a place read as foreign before is foreign again ("thành phố Đông
	 * Hưng" after "TP Đông Hưng, tỉnh Quảng Tây") */
	if (seen_foreign(c, nb, re)) {
		emit_foreign(c, i, re, nb, re, NULL, 0, NULL, 0.75);
		return re;
	}
	/* villages are not in the unit tables: the chain after one says
	 * whose it is ("bản Nà Khạng (cụm Phiêng Sa, huyện Xiềng Khọ, tỉnh
	 * Hủa Phăn)"); a lower-case tail of a foreign village's name ("Bản
	 * Đen sa vẵn, Sê Pôn, Savannakhet-Lào") belongs to it */
	if (levels == (1u << 4)) {
		size_t ve = village_end(c, nb), tail = ve;
		country = chain_country(c, ve, &cend);
		if (country == NULL) {
			while (tail < d->nt && tail < ve + 3 && d->t[tail].type == TK_WORD &&
			    !d->t[tail].cap && d->t[tail].sp)
				tail++;
			if (tail > ve && is_punct(d, tail, ",") &&
			    (country = chain_country(c, tail, &cend)) != NULL &&
			    strcmp(country, "VN") != 0)
				ve = tail;
			else
				country = NULL;
		}
		if (country != NULL && strcmp(country, "VN") != 0) {
			emit_foreign(c, i, ve, nb, ve, country, 0, PLEVEL_VILLAGE, 0.75);
			emit_chain(c, ve, cend, country);
			return cend;
		}
		if (country == NULL && d->t[i].cap && sentence_names_country(c, i) &&
		    (country = sentence_country(c, i)) != NULL) {
			/* "Bản X" written as a name, in a sentence about the
			 * other side */
			emit_foreign(c, i, ve, nb, ve, country, 0, PLEVEL_VILLAGE, 0.5);
			return ve;
		}
		emit_unit(c, i, ve, nb, ve, 4, NULL, 0);
		return ve;
	}
	ne = unit_name_at(c, nb, re, levels, type_f, &u, &ncand);
	/* a unit in a chain that ends across the border ("TP Đông Hưng, tỉnh
	 * Quảng Tây, Trung Quốc", "huyện Sa Muồi, tỉnh Salavan (Lào)") */
	/* (a Vietnamese province never is; "thành phố" may be a province or
	 * a district: only the district is read across the border) */
	if (ne > 0 && ncand > 0 && levels != (1u << 1) && (u == NULL || u->level > 1)) {
		country = chain_country(c, ne, &cend);
		if (country != NULL && strcmp(country, "VN") != 0) {
			emit_foreign(c, i, ne, nb, ne, country, 0,
			    lex_foreign_level_of(d, i, tn), 0.7);
			emit_chain(c, ne, cend, country);
			return cend;
		}
	}
	if (ne == 0) {
		/* "UBND tỉnh Nguyễn Minh Tiến": a person after a body */
		if (lex_surname(d->t[nb].f) && re - nb >= 3)
			return nb;
		/* across the border: "tỉnh Vân Nam", "huyện Mã Quan" */
		for (size_t q = re; q > nb; q--) {
			if (d->t[q - 1].type != TK_WORD)
				continue;
			tok_key(d, nb, q, key, sizeof key);
			if ((country = foreign_country(c, key, &fid, &lv)) != NULL) {
				emit_foreign(c, i, q, nb, q, country, fid,
				    lex_foreign_level_of(d, i, tn), 0.85);
				if ((country = chain_country(c, q, &cend)) != NULL &&
				    strcmp(country, "VN") != 0)
					emit_chain(c, q, cend, country);
				return q;
			}
		}
		country = chain_country(c, re, &cend);
		if (country != NULL && strcmp(country, "VN") != 0) {
			emit_foreign(c, i, re, nb, re, country, 0,
			    lex_foreign_level_of(d, i, tn), 0.6);
			emit_chain(c, re, cend, country);
			return cend;
		}
		if (sentence_names_country(c, i)) {
			emit_foreign(c, i, re, nb, re, sentence_country(c, i), 0,
			    lex_foreign_level_of(d, i, tn), 0.5);
			return re;
		}
		/* a name the gazetteer does not know */
		if (c->g.nu > 0)
			return re;
		emit_unit(c, i, re, nb, re, first_level(levels), NULL, 0);
		return re;
	}
	emit_unit(c, i, ne, nb, ne, first_level(levels), u, ncand);
	/* the list after it: ", Bắc Hà", " và Xín Mần", "(Hoàng Su Phì)"; a
	 * name of the level above (", Hướng Hóa" after a town) is its parent */
	for (size_t q = ne; q < d->nt;) {
		size_t s = q, r, e2;
		const struct gz_unit *u2 = NULL;
		int n2 = 0;
		bool paren = false;
		unsigned lv2 = levels;
		if (is_punct(d, s, ",") || tok_is(d, s, "va"))
			s++;
		else if (is_punct(d, s, "(")) {
			s++;
			paren = true;
			lv2 = u != NULL && u->level > 1 ? 1u << (u->level - 1) : 0x6u;
		} else
			break;
		r = cap_run(c, s, ING_NAME_TOKENS);
		if (r == s)
			break;
		e2 = unit_name_at(c, s, r, lv2, NULL, &u2, &n2);
		if ((e2 == 0 || u2 == NULL) && !paren && u != NULL && u->level > 1) {
			const struct gz_unit *u3 = NULL;
			int n3 = 0;
			size_t e3 = unit_name_at(c, s, r, 1u << (u->level - 1), NULL, &u3, &n3);
			if (e3 > 0 && (u3 != NULL || e2 == 0)) {
				e2 = e3;
				u2 = u3;
				n2 = n3;
				lv2 = 1u << (u->level - 1);
			}
		}
		if (e2 == 0) {
			tok_key(d, s, r, key, sizeof key);
			if ((country = foreign_country(c, key, &fid, &lv)) != NULL) {
				emit_foreign(c, s, r, s, r, country, fid, lv, 0.8);
				q = r;
				continue;
			}
			break;
		}
		emit_unit(c, s, e2, s, e2, first_level(lv2), u2, n2);
		q = e2;
		if (paren && is_punct(d, q, ")"))
			q++;
	}
	return ne;
}

/* A unit named without its type word where the grammar says it is a
 * place: in brackets after a name ("Đồn Biên phòng Phó Bảng (Đồng
 * Văn)"), after "tại"/"ở" ("tại Đà Nẵng"), after a body that is its own
 * ("BĐBP Quảng Trị", "Công an Lạng Sơn": a province), or before "là
 * <type>" ("Hướng Hóa là huyện biên giới").  Returns the end, or i. */
static size_t
bare_unit(struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	size_t re = cap_run(c, i, ING_NAME_TOKENS), ne;
	const struct gz_unit *u = NULL;
	unsigned levels = 0, lv;
	int ncand = 0;
	const char *kind = NULL;

	if (re == i || c->mark[i] & (MK_PLACE | MK_DATE | MK_DOC))
		return i;
	if (i > 0 && is_punct(d, i - 1, "(") && (is_punct(d, re, ")") ||
	    is_punct(d, re, ",")))
		levels = (1u << 1) | (1u << 2);
	else if (i > 0 && (tok_is(d, i - 1, "tai") || tok_is(d, i - 1, "o")) &&
	    !d->t[i - 1].cap)
		levels = (1u << 1) | (1u << 2);
	else if (tok_is(d, re, "la") && lex_unit_type(d, re + 1, &lv) > 0 &&
	    !(lv & (1u << 4)))
		levels = lv;
	else {
		for (size_t k = i > 7 ? i - 7 : 0; k < i; k++) {
			size_t n = lex_body(d, k, &kind);
			if (n > 0 && k + n == i && d->t[k].cap &&
			    strcmp(kind, "border_post") != 0) {
				levels = 1u << 1;
				break;
			}
		}
	}
	if (levels == 0)
		return i;
	ne = unit_name_at(c, i, re, levels, NULL, &u, &ncand);
	/* only a name the gazetteer decides, written as it is there */
	if (ne == 0 || u == NULL)
		return i;
	{
		char key[ING_PHRASE_MAX];
		tok_key(d, i, ne, key, sizeof key);
		if (strcmp(key, u->key) != 0)
			return i;
	}
	emit_unit(c, i, ne, i, ne, u->level, u, ncand);
	return ne;
}

/* "khu vực Xuyên Tâm, Mú Thầu, Vạn Vĩ (thị trấn Giang Bình, Trung Quốc)":
 * names listed after a place noun and before a chain across the border
 * are places of it.  Returns the end, or i. */
static size_t
places_before_chain(struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	size_t names[16][2], nn = 0, k = i, cend;
	const char *country;

	if (i < 2 || !(tok_phrase(d, i - 2, "khu vuc") || tok_is(d, i - 1, "vung") ||
	    tok_phrase(d, i - 2, "dia ban")))
		return i;
	while (nn < 16) {
		size_t r = cap_run(c, k, ING_NAME_TOKENS);
		if (r == k)
			return i;
		names[nn][0] = k;
		names[nn][1] = r;
		nn++;
		if (is_punct(d, r, ",") || tok_is(d, r, "va")) {
			k = r + 1;
			continue;
		}
		if (!is_punct(d, r, "("))
			return i;
		country = chain_country(c, r, &cend);
		if (country == NULL || strcmp(country, "VN") == 0)
			return i;
		for (size_t m = 0; m < nn; m++)
			emit_foreign(c, names[m][0], names[m][1], names[m][0], names[m][1],
			    country, 0, NULL, 0.6);
		emit_chain(c, r, cend, country);
		return cend;
	}
	return i;
}

/* The unit of an event's place ("tại huyện Si Ma Cai"). */
static void
event_places(struct ctx *c)
{
	size_t i;
	json_t *p;

	json_array_foreach(c->props, i, p) {
		json_t *pt = json_object_get(p, "_place_tokens");
		size_t pb, pe;
		if (pt == NULL)
			continue;
		pb = (size_t)json_integer_value(json_array_get(pt, 0));
		pe = (size_t)json_integer_value(json_array_get(pt, 1));
		for (size_t k = pb; k < pe; k++) {
			unsigned lv;
			size_t tn = lex_unit_type(&c->d, k, &lv), re, ne;
			const struct gz_unit *u = NULL;
			int nc = 0;
			char tf[32];
			if (tn == 0)
				continue;
			re = cap_run(c, k + tn, ING_NAME_TOKENS);
			tok_key(&c->d, k, k + tn, tf, sizeof tf);
			ne = re > k + tn ? unit_name_at(c, k + tn, re, lv, tf, &u, &nc) : 0;
			if (ne > 0 && u != NULL)
				json_object_set_new(p, "place_unit", json_pack("{s:s, s:i}",
				    PK_CODE, u->code, "vintage", u->vintage));
			break;
		}
	}
}

/* The province and the district a report is about: the resolved units of
 * each level named most often. */
static void
main_units(struct ctx *c)
{
	size_t i;
	json_t *p;
	int best[3] = { 0, 0, 0 };

	json_array_foreach(c->props, i, p) {
		const char *kind = json_string_value(json_object_get(p, PK_KIND));
		const char *lvl = json_string_value(json_object_get(p, PK_LEVEL));
		const char *code = json_string_value(json_object_get(p, PK_CODE));
		const char *name = json_string_value(json_object_get(p, PK_NAME));
		char bare[128], *key, pat[160];
		int l, n = 0;
		if (kind == NULL || strcmp(kind, "unit") != 0 || code == NULL || name == NULL)
			continue;
		l = strcmp(lvl, "province") == 0 ? 1 : strcmp(lvl, "district") == 0 ? 2 : 0;
		if (l == 0)
			continue;
		text_unit_bare_name(name, bare, sizeof bare);
		key = text_fold(bare);
		if (key == NULL)
			continue;
		snprintf(pat, sizeof pat, " %s ", key);
		for (const char *f = c->d.folded; (f = strstr(f, pat)) != NULL; f++)
			n++;
		if (n > best[l]) {
			best[l] = n;
			snprintf(c->main_unit[l], sizeof c->main_unit[l], "%s", key);
		}
		free(key);
	}
}

void
rule_places(struct ctx *c)
{
	const struct doc *d = &c->d;

	event_places(c);

	for (size_t i = 0; i < d->nt; i++) {
		unsigned levels = 0;
		size_t tn, end;
		const char *flv, *fco;

		if (c->mark[i] & (MK_PLACE | MK_DATE | MK_DOC) || d->t[i].type != TK_WORD)
			continue;
		/* "Huyện ủy Si Ma Cai", "Tỉnh ủy Cao Bằng": the unit in a body */
		if ((tok_is(d, i, "tinh") || tok_is(d, i, "huyen") ||
		    tok_is(d, i, "thanh") || tok_is(d, i, "dang")) &&
		    (tok_is(d, i + 1, "uy") || (tok_is(d, i + 1, "pho") &&
		    tok_is(d, i + 2, "uy")))) {
			size_t n = tok_is(d, i + 1, "uy") ? 2 : 3;
			unsigned lv = tok_is(d, i, "tinh") ? 1u << 1 :
			    tok_is(d, i, "huyen") ? 1u << 2 :
			    tok_is(d, i, "dang") ? 1u << 3 : 0x6u;
			size_t re = cap_run(c, i + n, ING_NAME_TOKENS);
			const struct gz_unit *u = NULL;
			int nc = 0;
			const char *bk;
			/* "Đảng ủy Bộ Chỉ huy …": a body, not a place */
			size_t ne = re > i + n && lex_body(d, i + n, &bk) == 0 ?
			    unit_name_at(c, i + n, re, lv, NULL, &u, &nc) : 0;
			if (ne > 0) {
				emit_unit(c, i + n, ne, i + n, ne, first_level(lv), u, nc);
				i = ne - 1;
			}
			continue;
		}
		/* "Đồn Biên phòng Thanh Thủy", "Trạm Kiểm soát biên phòng Thiên
		 * Bảo": a post is named after a place, which it is not */
		if (d->t[i].cap && !(c->mark[i] & MK_PLACE)) {
			const char *bk;
			bool post = false;
			for (size_t k = i > 6 ? i - 6 : 0; k < i && !post; k++) {
				size_t n = lex_body(d, k, &bk);
				post = n > 0 && k + n == i && strcmp(bk, "border_post") == 0;
				/* "Đồn Công an biên phòng Phú Ninh" */
				if (!post && tok_phrase(d, k, "don cong an") == 3) {
					size_t m = k + 3;
					while (m < i && d->t[m].type == TK_WORD && !d->t[m].cap)
						m++;
					post = m == i;
				}
			}
			if (post) {
				size_t re = cap_run(c, i, ING_NAME_TOKENS);
				i = re > i ? re - 1 : i;
				continue;
			}
		}
		tn = lex_unit_type(d, i, &levels);
		/* "Bản Lầu", "Thôn Mới": a capitalised type word that is the
		 * first word of a known unit's name */
		if (tn > 0 && d->t[i].cap) {
			size_t re = cap_run(c, i, ING_NAME_TOKENS), ne;
			const struct gz_unit *u = NULL;
			int nc = 0;
			char key[ING_PHRASE_MAX];
			ne = unit_name_at(c, i, re, 0xEu, NULL, &u, &nc);
			if (ne > i + tn && u != NULL && tok_key(d, i, ne, key, sizeof key) &&
			    strcmp(key, u->key) == 0) {
				emit_unit(c, i, ne, i, ne, u->level, u, nc);
				i = ne - 1;
				continue;
			}
		}
		if (tn > 0) {
			end = unit_mention(c, i, tn, levels);
			i = end - 1;
			continue;
		}
		/* "cụm bản Lẳng Khăng", "châu Hồng Hà", "phum Xom": types only
		 * the other side has */
		if ((tn = lex_foreign_type(d, i, &flv, &fco)) > 0) {
			size_t nb = i + tn, re, cend;
			const char *country;
			/* "Khu tự trị dân tộc Choang Quảng Tây" */
			while (tok_phrase(d, nb, "dan toc") && nb + 2 < d->nt && d->t[nb + 2].cap)
				nb += 2;
			re = village_end(c, nb);
			if (re == nb)
				continue;
			country = chain_country(c, re, &cend);
			if (country == NULL || strcmp(country, "VN") == 0) {
				country = sentence_country(c, i);
				if (country == NULL)
					country = fco;
				cend = re;
			}
			emit_foreign(c, i, re, i + tn, re, country, 0, flv, 0.7);
			emit_chain(c, re, cend, country);
			i = (cend > re ? cend : re) - 1;
			continue;
		}
		if (!d->t[i].cap)
			continue;
		/* names without a type word where the grammar says they are
		 * places (after a body too: "BĐBP Quảng Trị") */
		{
			bool start = !(i > 0 && d->t[i - 1].type == TK_WORD && d->t[i - 1].cap);
			if ((start && (end = places_before_chain(c, i)) > i) ||
			    (end = bare_unit(c, i)) > i) {
				i = end - 1;
				continue;
			}
			if (!start)
				continue;
		}
		/* a foreign place named alone: "Mã Quan - Vân Nam - Trung Quốc";
		 * only from the start of a name ("Trần Văn Nam" is a person) */
		{
			size_t re = cap_run(c, i, ING_NAME_TOKENS);
			for (size_t q = re; q > i; q--) {
				char key[ING_PHRASE_MAX];
				int64_t fid;
				const char *country, *lv;
				bool chain;
				if (d->t[q - 1].type != TK_WORD || !tok_key(d, i, q, key, sizeof key))
					continue;
				country = foreign_country(c, key, &fid, &lv);
				if (country == NULL)
					continue;
				/* a name shared with Vietnamese places needs a
				 * foreign context: a country or a chain */
				chain = (is_dashp(d, q) && cap_run(c, q + 1, 1) > q + 1) ||
				    (i > 0 && is_dashp(d, i - 1)) || inner_joint(d, q);
				if (fid > 0 || strcmp(key, "van nam") == 0 ||
				    strcmp(key, "quang tay") == 0 || chain ||
				    sentence_names_country(c, i)) {
					if (emit_foreign(c, i, q, i, q, country, fid, lv, 0.8))
						i = q - 1;
				}
				break;
			}
		}
	}
}

void
rule_places_done(struct ctx *c)
{
	main_units(c);
}

/* ---- people ------------------------------------------------------------------- */

static const struct { const char *f; const char *role; int prio; } role_cues[] = {
	{ "dong chu tri", "co_chair", 1 }, { "chu tri", "chair", 0 },
	{ "lam truong doan", "chair", 0 }, { "truong doan", "chair", 0 },
	{ "dan dau", "chair", 0 },
	{ "du chi dao", "directing", 2 }, { "du va chi dao", "directing", 2 },
	{ "tham du", "attending", 4 }, { "cung du", "attending", 4 },
	{ "du", "attending", 4 }, { "co mat", "attending", 4 },
	{ "ky ket", "signing", 3 }, { "ky", "signing", 3 },
	{ "phat bieu chi dao", "directing", 2 }, { "chi dao cua", "directing", 2 },
	{ "phat bieu", "speaking", 5 }, { "bao cao", "speaking", 5 },
	{ "trinh bay", "speaking", 5 }, { "nhan manh", "speaking", 5 },
	{ "khang dinh", "speaking", 5 }, { "ket luan", "speaking", 5 },
	{ "ghi nhan", "speaking", 5 }, { "bieu duong", "speaking", 5 },
	{ "cho biet", "speaking", 5 }, { "de nghi", "speaking", 5 },
	{ "yeu cau", "speaking", 5 }, { "chi dao", "directing", 2 },
};

static int
role_prio(const char *role)
{
	for (size_t k = 0; k < sizeof role_cues / sizeof role_cues[0]; k++)
		if (strcmp(role_cues[k].role, role) == 0)
			return role_cues[k].prio;
	return 9;
}

/* A role cue at i (folded), with the limits that keep common words out:
 * "dự" not "dự án", "ký" not "ký hiệu", "chỉ đạo" only as "dự chỉ đạo" or
 * before the event. */
static size_t
role_cue(const struct ctx *c, size_t i, const char **role)
{
	const struct doc *d = &c->d;

	for (size_t k = 0; k < sizeof role_cues / sizeof role_cues[0]; k++) {
		size_t n = tok_phrase(d, i, role_cues[k].f);
		if (n == 0)
			continue;
		if (strcmp(role_cues[k].f, "du") == 0 &&
		    !(tok_is(d, i + 1, "hoi") || tok_is(d, i + 1, "buoi") ||
		    tok_is(d, i + 1, "le") || tok_is(d, i + 1, "cuoc") ||
		    tok_is(d, i + 1, "co") || is_punct(d, i + 1, ":")))
			continue;
		if (strcmp(role_cues[k].f, "ky") == 0 && !tok_is(d, i + 1, "ket") &&
		    !tok_is(d, i + 1, "bien") && !tok_is(d, i + 1, "thoa"))
			continue;
		if (strcmp(role_cues[k].f, "chi dao") == 0 &&
		    !(tok_is(d, i + 2, "hoi") || tok_is(d, i + 2, "buoi")))
			continue;
		if (strcmp(role_cues[k].f, "chu tri") == 0 && i > 0 &&
		    tok_is(d, i - 1, "dong"))
			continue;
		if (strcmp(role_cues[k].f, "truong doan") == 0 &&
		    !(i > 0 && tok_is(d, i - 1, "lam")))
			continue;
		*role = role_cues[k].role;
		return n;
	}
	return 0;
}

/* Words that end a title written after a name. */
/* Words that end a title written after a name, as written: folded alike
 * are "về" and "vệ" ("bảo vệ"), "đang" and "Đảng", "họp" and "hợp",
 * "nhận" and "nhân", "trong" and "trọng", "làm" and "lâm". */
static const char *const title_enders[] = { "chủ trì", "đồng chủ trì",
	"phát biểu", "làm", "báo cáo", "nhấn mạnh", "khẳng định", "ghi nhận",
	"cho biết", "trình bày", "đề nghị", "yêu cầu", "giao", "trao", "tặng",
	"đã", "dự", "tham dự", "chỉ đạo", "kết luận", "nêu", "thông qua",
	"tổ chức", "cùng", "đến", "tại", "đang", "sẽ", "được", "và các",
	"và đồng chí", "cùng các", "biểu dương", "đánh giá", "dẫn đầu",
	"kiểm tra", "thăm", "làm việc", "họp", "tiếp", "nhận", "còn",
	"tham gia", "thực hiện", "hướng dẫn", "trao đổi", "chúc mừng",
	"động viên", "thăm hỏi", "gặp", "giám sát", "khảo sát", "quán triệt",
	"giới thiệu", "với", "cho", "như", "về", "trong", "đón", "tiếp đón",
	"hội đàm", "ký", "ký kết", "phối hợp", "chứng kiến", "nhận định",
	"cũng", "vừa", "luôn", NULL };

static bool
title_ender(const struct doc *d, size_t i)
{
	/* "chỉ huy lực lượng" ends a title, "chỉ huy trưởng" is one */
	if (tok_phrase(d, i, "chi huy") && !tok_is(d, i + 2, "truong") &&
	    !(i + 2 < d->nt && d->t[i + 2].cap))
		return true;
	/* "giao" the verb, not "Ngoại giao", "bàn giao", "giao lưu" */
	if (tok_is(d, i, "giao") && !lex_giao_verb(d, i))
		return false;
	for (size_t k = 0; title_enders[k] != NULL; k++)
		if (tok_raw_phrase(d, i, title_enders[k]))
			return true;
	return false;
}

/* A title from i (after "Name, " or "Name - "): its end, i for none. */
static size_t
title_after(const struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, i);
	size_t q = i, n;
	unsigned lv;
	const char *kind;

	if (!lex_title_head(d, i, &n))
		return i;
	while (q < s->te && q - i < 40) {
		const struct tok *t = &d->t[q];
		if (t->type == TK_NL)
			break;
		if (t->type == TK_PUNCT && inner_joint(d, q)) {
			q++; /* "tỉnh Sê-Kông" */
			continue;
		}
		if (t->type == TK_PUNCT) {
			if (strcmp(t->f, ",") == 0) {
				/* continue with a title, a unit or a body */
				size_t nx = q + 1;
				if (lex_title_head(d, nx, &n) ||
				    (lex_unit_type(d, nx, &lv) > 0 &&
				    cap_run(c, nx + lex_unit_type(d, nx, &lv), 1) >
				    nx + lex_unit_type(d, nx, &lv)) ||
				    lex_body(d, nx, &kind) > 0) {
					/* not the next person: ", đồng chí X" */
					q++;
					continue;
				}
				break;
			}
			if (strcmp(t->f, ".") == 0 && q > 0 && tok_is(d, q - 1, "tt"))
			{
				q++;
				continue;
			}
			if (strcmp(t->f, "-") == 0 && q + 1 < s->te &&
			    (lex_body(d, q + 1, &kind) > 0 || (lex_title_head(d, q + 1, &n) &&
			    d->t[q + 1].cap)))
			{
				q++; /* "HĐND - UBND", "TUV – Chủ tịch …" */
				continue;
			}
			break;
		}
		if (q > i && !t->cap && title_ender(d, q))
			break;
		/* the next person, by rank or honorific: "…, Chủ tịch UBND huyện
		 * và Thượng tá Trần Văn B", "… và ông Men Vibol" */
		if (q > i && (lex_rank(d, q) > 0 || (tok_is(d, q, "va") &&
		    (lex_rank(d, q + 1) > 0 || tok_raw(d, q + 1, "ông") ||
		    tok_raw(d, q + 1, "bà") || tok_phrase(d, q + 1, "dong chi")))))
			break;
		/* the next person's name */
		if (q > i && t->cap && lex_surname(t->f) && cap_run(c, q, 5) >= q + 2 &&
		    !(c->mark[q] & MK_PLACE) && lex_body(d, q, &kind) == 0 &&
		    !lex_title_head(d, q, &n) &&
		    !tok_is(d, q - 1, "truong") && !tok_is(d, q - 1, "pho") &&
		    !tok_is(d, q - 1, "ban") && !tok_is(d, q - 1, "vien"))
			break;
		q++;
	}
	return q;
}

/* The leftmost capitalised title head in the window before a name. */
static size_t
title_before(const struct ctx *c, size_t name_b)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, name_b);
	size_t w = name_b, n;

	/* the window: words back to punctuation, at most 14 tokens */
	while (w > s->tb && name_b - w < 14) {
		const struct tok *t = &d->t[w - 1];
		if (t->type != TK_WORD && !(is_punct(d, w - 1, ".") && w >= 2 &&
		    tok_is(d, w - 2, "tt")))
			break;
		w--;
	}
	for (size_t k = w; k < name_b; k++) {
		if (d->t[k].cap && lex_title_head(d, k, &n) && k + n <= name_b) {
			/* titles joined by commas before the name: "Phó Bí thư
			 * Thường trực Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh Lê Văn Dũng" —
			 * the part before a comma that is a title of its own,
			 * naming nobody, belongs to it */
			while (w >= s->tb + 2 && is_punct(d, w - 1, ",")) {
				size_t w2 = w - 1, h2 = w - 1;
				while (w2 > s->tb && w - 1 - w2 < 14 && d->t[w2 - 1].type == TK_WORD &&
				    !(c->mark[w2 - 1] & MK_PERSON))
					w2--;
				if (w2 > s->tb && d->t[w2 - 1].type == TK_WORD)
					break;
				for (size_t m = w2; m < w - 1; m++)
					if (d->t[m].cap && lex_title_head(d, m, &n)) {
						h2 = m;
						break;
					}
				if (h2 == w - 1)
					break;
				k = h2;
				w = w2;
			}
			return k;
		}
	}
	return name_b;
}

static bool
person_marker_before(const struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	size_t k = i;

	if (k > 0 && is_punct(d, k - 1, ":"))
		k--;
	if (k >= 2 && tok_phrase(d, k - 2, "dong chi") == 2)
		return true;
	if (k >= 3 && tok_phrase(d, k - 3, "d / c") == 3)
		return true;
	if (k >= 1 && (tok_is(d, k - 1, "ong") || tok_is(d, k - 1, "ba") ||
	    tok_is(d, k - 1, "dc")))
		return true;
	return false;
}

/* In a list "các đồng chí: A, title; B, title" the items after ';'. */
static bool
in_person_list(const struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, i);

	if (i == 0 || !is_punct(d, i - 1, ";"))
		return false;
	for (size_t k = s->tb; k + 2 < i; k++)
		if (tok_phrase(d, k, "cac dong chi") == 3)
			return true;
	return false;
}

/* A foreign person's name read as a place before ("Xổm Phết Xay Nha
 * Vông" after a type word): the place proposal starting there goes. */
static void
drop_place_at(struct ctx *c, size_t k)
{
	size_t i;
	json_t *p;

	if (!(c->mark[k] & MK_PLACE))
		return;
	json_array_foreach(c->props, i, p) {
		const char *kind = json_string_value(json_object_get(p, PK_KIND));
		json_int_t b = json_integer_value(json_array_get(json_object_get(p, "span"), 0));
		if (kind != NULL && (strcmp(kind, "unit") == 0 ||
		    strcmp(kind, PKIND_FOREIGN_UNIT) == 0) && (size_t)b == c->d.t[k].b &&
		    json_is_null(json_object_get(p, PK_CODE)))
			json_object_set_new(p, "_drop", json_true());
	}
	c->mark[k] &= (unsigned char)~MK_PLACE;
}

/* The title of tokens [ttb, tte), with the rank [rb, nb) written before
 * the name put in front ("Đại tá, Phó Chỉ huy trưởng …"). */
static json_t *
title_text(struct ctx *c, size_t rb, size_t nb, size_t ttb, size_t tte)
{
	char *r, *t, *s;
	json_t *j;

	if (rb >= nb || (ttb < nb && tte <= nb))
		return tte > ttb ? tok_text(c, ttb, tte) : json_string(
		    "");
	r = tok_dup(c, rb, nb);
	t = tte > ttb ? tok_dup(c, ttb, tte) : NULL;
	if (r == NULL)
		return json_null();
	if (t == NULL || t[0] == '\0') {
		j = json_string(r);
	} else if ((s = malloc(strlen(r) + strlen(t) + 3)) != NULL) {
		snprintf(s, strlen(r) + strlen(t) + 3, "%s, %s", r, t);
		j = json_string(s);
		free(s);
	} else {
		j = json_null();
	}
	free(r);
	free(t);
	return j;
}

static void
merge_person(struct ctx *c, const char *name_key, size_t tb, size_t te,
    size_t nb, size_t ne, size_t ttb, size_t tte, const char *role, size_t at,
    size_t rb)
{
	char sk[ING_PHRASE_MAX + 16];
	json_t *p;
	bool has_title = tte > ttb || rb < nb;

	snprintf(sk, sizeof sk, "person:%s", name_key);
	p = json_object_get(c->seen, sk);
	/* one name with two offices that do not agree ("Hoàng Quốc Khánh, Phó
	 * Chủ tịch UBND tỉnh Lào Cai" and "…, Chủ tịch UBND tỉnh Sơn La"):
	 * two people */
	for (int alt = 2; p != NULL && has_title && alt < 5; alt++) {
		const char *ot = json_string_value(json_object_get(p, PK_TITLE));
		json_t *nt;
		bool agree;
		if (ot == NULL)
			break;
		nt = title_text(c, rb, nb, ttb, tte);
		agree = json_string_value(nt) == NULL ||
		    lex_titles_agree(ot, json_string_value(nt));
		json_decref(nt);
		if (agree)
			break;
		snprintf(sk, sizeof sk, "person:%s#%d", name_key, alt);
		p = json_object_get(c->seen, sk);
	}
	if (p != NULL) {
		const char *old = json_string_value(json_object_get(p, PK_ROLE));
		const json_t *ot = json_object_get(p, PK_TITLE);
		if (old == NULL || role_prio(role) < role_prio(old))
			json_object_set_new(p, PK_ROLE, json_string(role));
		/* the first title written wins: later mentions shorten it */
		if (has_title && json_is_null(ot)) {
			json_object_set_new(p, PK_TITLE, title_text(c, rb, nb, ttb, tte));
			prop_span(c, p, tb, te);
		}
		return;
	}
	p = prop_new(c, PKIND_PERSON, tb, te, has_title ? 0.85 : 0.6);
	json_object_set_new(p, PK_NAME, tok_text(c, nb, ne));
	json_object_set_new(p, PK_TITLE, has_title ? title_text(c, rb, nb, ttb, tte) :
	    json_null());
	json_object_set_new(p, PK_ROLE, json_string(role));
	/* a rank written before the name ("Đại tá") */
	json_object_set_new(p, "rank", rb < nb && lex_rank(&c->d, rb) > 0 ?
	    tok_text(c, rb, rb + lex_rank(&c->d, rb)) : json_null());
	{
		const char *ev = event_for(c, at);
		json_object_set_new(p, "event", ev ? json_string(ev) : json_null());
	}
	json_object_set_new(p, PK_PERSON_ID, json_null());
	json_object_set(c->seen, sk, p);
}

/* Who each person found is among the stored people: the same name and a
 * position agreeing with the title at the date of the text (the event's,
 * else the reference date); otherwise a new person, with the stored ones
 * of that name as candidates. */
static void
identify_people(struct ctx *c)
{
	size_t i;
	json_t *p;
	int chairs = 0;

	/* two heads of delegation, one for each side, lead the talks
	 * together */
	json_array_foreach(c->props, i, p)
		chairs += strcmp(json_string_value(json_object_get(p, PK_KIND)), PKIND_PERSON) == 0 &&
		    json_string_value(json_object_get(p, PK_ROLE)) != NULL &&
		    strcmp(json_string_value(json_object_get(p, PK_ROLE)), "chair") == 0;
	if (chairs == 2 && c->nev > 0) {
		json_array_foreach(c->props, i, p)
			if (strcmp(json_string_value(json_object_get(p, PK_KIND)), PKIND_PERSON) == 0 &&
			    strcmp(json_string_value(json_object_get(p, PK_ROLE)), "chair") == 0)
				json_object_set_new(p, PK_ROLE, json_string("co_chair"));
	}

	json_array_foreach(c->props, i, p) {
		char *key;
		json_t *cand = NULL;
		int64_t id;
		if (strcmp(json_string_value(json_object_get(p, PK_KIND)), PKIND_PERSON) != 0)
			continue;
		key = text_fold(json_string_value(json_object_get(p, PK_NAME)));
		if (key == NULL)
			continue;
		id = gaz_person(&c->g, key, json_string_value(json_object_get(p, PK_TITLE)),
		    c->unit_date, &cand);
		free(key);
		json_object_set_new(p, PK_PERSON_ID, id > 0 ? json_integer(id) : json_null());
		if (cand != NULL)
			json_object_set_new(p, "candidates", cand);
	}
}

void
rule_people(struct ctx *c)
{
	const struct doc *d = &c->d;

	for (size_t i = 0; i < d->nt; i++) {
		size_t re, ne, ttb = i, tte = i, tb, te, rank;
		char key[ING_PHRASE_MAX];
		const char *role = "other";
		bool marker, before_title = false;
		const struct sent *s;

		bool foreign_name = false;

		if (d->t[i].type != TK_WORD || !d->t[i].cap ||
		    (d->t[i].upper && d->t[i].e - d->t[i].b > 1) ||
		    (c->mark[i] & (MK_PLACE | MK_PERSON)))
			continue;
		/* "Ông Nguyễn Thanh Phong": the honorific is not the name */
		if ((tok_is(d, i, "ong") || tok_is(d, i, "ba")) && i + 1 < d->nt &&
		    d->t[i + 1].cap && lex_surname(d->t[i + 1].f))
			continue;
		/* a rank before the name ("Đại tá Hoàng Văn Thắng, Phó Chỉ huy
		 * trưởng …") is part of the title; the markers come before it */
		rank = i >= 2 && lex_rank(d, i - 2) == 2 ? 2 : 0;
		marker = person_marker_before(c, i - rank) || in_person_list(c, i - rank);
		if (!lex_surname(d->t[i].f)) {
			/* a Lao, Khmer, Chinese or highland name ("ông Sok
			 * Sambath", "Đại úy Xổm Phết Xay Nha Vông", "đồng chí A
			 * Brao Bim", "Khăm-vớ Vạt-sạ-ngà"): only after đồng
			 * chí/ông/bà or a rank, and with its title after it */
			if (i > 0 && d->t[i - 1].type == TK_WORD && d->t[i - 1].cap &&
			    rank == 0)
				continue;
			if (rank == 0 && !person_marker_before(c, i))
				continue;
			foreign_name = true;
		}
		re = cap_run(c, i, 7);
		/* a name is two to four syllables (six for a foreign one, or
		 * after an honorific), none of them a place, up to a title, a
		 * body, a rank or a party label ("Trần Văn Bến TUV – Chủ tịch
		 * …"); a hyphen or an apostrophe joins syllables */
		{
			size_t words = 0, maxw = foreign_name || marker ? 6 : 4, n;
			const char *bk;
			ne = i;
			while (ne < re) {
				if (ne > i && inner_joint(d, ne)) {
					ne++;
					continue;
				}
				if (!foreign_name && (c->mark[ne] & MK_PLACE))
					break;
				if (words >= 2 && ((d->t[ne].upper && d->t[ne].e - d->t[ne].b > 1) ||
				    lex_title_head(d, ne, &n) || lex_body(d, ne, &bk) > 0 ||
				    lex_rank(d, ne) > 0))
					break;
				if (words >= maxw)
					break;
				words++;
				ne++;
			}
			/* past four, only a whole name that ends its phrase */
			if (words > 4 && ne < d->nt && d->t[ne].type == TK_WORD)
				words = 0;
			/* one word only for a foreign name written as one
			 * ("NiekSaVuon") */
			if (words < 2) {
				bool camel = false;
				for (size_t b = d->t[i].b + 1; b < d->t[i].e; b++)
					camel |= d->text[b] >= 'A' && d->text[b] <= 'Z';
				if (!(foreign_name && words == 1 && camel && is_punct(d, ne, ",")))
					continue;
			}
		}
		if (foreign_name && !is_punct(d, ne, ",") && !is_dashp(d, ne))
			continue;
		for (size_t k = i; k < ne; k++)
			if (d->t[k].upper && d->t[k].e - d->t[k].b > 1)
				goto next;
		tok_key(d, i, ne, key, sizeof key);
		{
			size_t first;
			/* a place's name is not a person's, unless a rank or an
			 * honorific says so (communes are named after people:
			 * "xã Nguyễn Văn Thảnh") */
			if (((gaz_units(&c->g, key, &first) > 0 ||
			    foreign_country(c, key, &(int64_t){ 0 }, NULL) != NULL) &&
			    rank == 0 && !marker) ||
			    gaz_name(c->g.orgs, c->g.norgs, key) != NULL)
				continue;
		}
		/* a party label after the name opens its title: "Trần Văn Bến
		 * TUV – Chủ tịch Hội Nông dân tỉnh" */
		if (ne < d->nt && d->t[ne].upper && lex_title_head(d, ne, &(size_t){ 0 })) {
			ttb = ne;
			tte = title_after(c, ttb);
		}
		/* a title after: "X, Phó bí thư…", "X - Ủy viên…", "X – …" */
		if (tte == ttb && (is_punct(d, ne, ",") || is_dashp(d, ne)) && ne + 1 < d->nt) {
			ttb = ne + 1;
			tte = title_after(c, ttb);
		}
		if (tte == ttb && !marker) {
			size_t h = title_before(c, i);
			if (h < i) {
				ttb = h;
				tte = i;
				before_title = true;
			}
		}
		if ((!marker && tte == ttb) || (foreign_name && tte == ttb))
			continue;
		if (foreign_name)
			for (size_t k = i; k < ne; k++)
				drop_place_at(c, k);
		/* the role: the last cue before it in the sentence, else the
		 * first after its title */
		s = sent_of(c, i);
		{
			size_t from = s->tb;
			/* in a ';' list the cue before the list holds for all */
			for (size_t k = from; k < (before_title ? ttb : i); k++) {
				const char *r;
				size_t n = role_cue(c, k, &r);
				if (n > 0) {
					role = r;
					k += n - 1;
				}
			}
			{
				/* the first cue after the title, in its clause; one
				 * that says the person leads ("… làm trưởng đoàn", "…
				 * chủ trì") is theirs whatever the sentence said before
				 * ("Tham dự hội đàm, phía bạn có ông X, … làm trưởng
				 * đoàn") */
				size_t k = before_title ? ne : (tte > ttb ? tte : ne);
				for (; k < s->te && k < (before_title ? ne : tte) + 8 &&
				    !is_punct(d, k, ";"); k++) {
					const char *r;
					if (role_cue(c, k, &r) > 0) {
						if (strcmp(role, "other") == 0 || strcmp(r, "chair") == 0 ||
						    strcmp(r, "co_chair") == 0)
							role = r;
						break;
					}
				}
			}
		}
		tb = before_title ? ttb : i;
		te = before_title ? ne : (tte > ttb ? tte : ne);
		while (te > tb && d->t[te - 1].type == TK_PUNCT)
			te--;
		if (tte > ttb) {
			while (tte > ttb && d->t[tte - 1].type == TK_PUNCT)
				tte--;
		}
		if (rank > 0 && !before_title) {
			tb = i - rank;
			marker = true;
		}
		for (size_t k = tb; k < te; k++)
			c->mark[k] |= MK_PERSON;
		merge_person(c, key, tb, te, i, ne, ttb, tte, role, i,
		    rank > 0 && !before_title ? i - rank : i);
		if (c->npm < sizeof c->pm / sizeof c->pm[0]) {
			c->pm[c->npm].nb = i;
			c->pm[c->npm].ne = ne;
			c->npm++;
		}
		i = te - 1;
next:
		;
	}
	identify_people(c);
}

/* ---- organisations --------------------------------------------------------------- */

static bool is_unit_type_word(const char *f);

/* The key one body is known by, however it is written: folded words, the
 * abbreviations spelled out (UBND, HĐND, BĐBP, MTTQ, ĐBQH …), an
 * abbreviation in brackets and "Việt Nam" left out, "chính quyền" as the
 * people's committee, "Ủy ban Mặt trận" as "Mặt trận". */
static void
org_canon(const struct ctx *c, size_t b, size_t e, char *out, size_t len)
{
	static const struct { const char *a, *full; } ab[] = {
		{ "ubnd", "uy ban nhan dan" }, { "hdnd", "hoi dong nhan dan" },
		{ "btv", "ban thuong vu" }, { "bch", "ban chap hanh" },
		{ "mttq", "mat tran to quoc" }, { "dbqh", "dai bieu quoc hoi" },
		{ "bdbp", "bo doi bien phong" }, { "bchqs", "bo chi huy quan su" },
		{ "chqs", "chi huy quan su" }, { "ubkt", "uy ban kiem tra" },
		{ "bp", "bien phong" },
	};
	const struct doc *d = &c->d;
	struct { char *p; size_t n, cap; } w = { out, 0, len };
	int paren = 0;

	snprintf(out, len, "orgc:");
	w.n = strlen(out);
	{
		/* "Đại đội 4" and "Đại đội bảo vệ biên giới 4": a numbered unit
		 * is its head and its number */
		static const char *const numbered[] = { "dai doi", "tieu doan",
			"trung doan", "lu doan", "su doan", "hai doan", "hai doi",
			"trung doi", NULL };
		size_t nh = tok_phrases(d, b, numbered, NULL), num = 0;
		for (size_t k = b + nh; nh > 0 && k < e && k < b + nh + 10; k++)
			if (d->t[k].type == TK_NUM) {
				num = k;
				break;
			}
		if (nh > 0 && num > 0) {
			char hk[64];
			tok_key(d, b, b + nh, hk, sizeof hk);
			snprintf(out + w.n, len - w.n, "%s %s", hk, d->t[num].f);
			return;
		}
	}
	for (size_t k = b; k < e && k < d->nt; k++) {
		const char *f = d->t[k].f;
		if (is_punct(d, k, "(")) {
			paren++;
			continue;
		}
		if (is_punct(d, k, ")")) {
			paren -= paren > 0;
			continue;
		}
		if (paren > 0 || d->t[k].type == TK_PUNCT)
			continue;
		if (tok_phrase(d, k, "viet nam")) {
			k++;
			continue;
		}
		if (tok_phrase(d, k, "uy ban mat tran") || tok_phrase(d, k, "uy ban mttq")) {
			k++;
			continue;
		}
		/* "Bộ Chỉ huy BĐBP tỉnh" commands, and is written for, "BĐBP
		 * tỉnh" */
		if (tok_phrase(d, k, "bo chi huy") && (tok_is(d, k + 3, "bdbp") ||
		    tok_phrase(d, k + 3, "bo doi bien phong"))) {
			k += 2;
			continue;
		}
		{
			/* an abbreviation the text defined: "(XDĐN)" after "xây
			 * dựng đất nước" */
			const char *def = json_string_value(json_object_get(c->seen_abbrev, f));
			if (def != NULL && d->t[k].upper)
				f = def;
		}
		if (tok_phrase(d, k, "chinh quyen")) {
			f = "uy ban nhan dan";
			k++;
		}
		for (size_t m = 0; m < sizeof ab / sizeof ab[0]; m++)
			if (strcmp(f, ab[m].a) == 0)
				f = ab[m].full;
		if (w.n + strlen(f) + 2 >= w.cap)
			break;
		if (w.n > 5)
			w.p[w.n++] = ' ';
		memcpy(w.p + w.n, f, strlen(f) + 1);
		w.n += strlen(f);
	}
}

/* "BĐBP", "Bộ đội Biên phòng" alone name the force, and in a text that
 * names one of its commands ("Bộ Chỉ huy BĐBP tỉnh", "Bộ Tư lệnh BĐBP")
 * they are that command written short: not a body of their own. */
static void
drop_generic_forces(struct ctx *c)
{
	size_t i, j;
	json_t *p, *q;

	json_array_foreach(c->props, i, p) {
		const char *ck = json_string_value(json_object_get(p, "_canon"));
		const char *kind = json_string_value(json_object_get(p, "org_kind"));
		if (ck == NULL || kind == NULL || (strcmp(kind, "military") != 0 &&
		    strcmp(kind, "front") != 0) || strchr(ck, ' ') == NULL)
			continue;
		if (strcmp(ck, "bo doi bien phong") != 0 && strcmp(ck, "mat tran to quoc") != 0)
			continue;
		json_array_foreach(c->props, j, q) {
			const char *k2 = json_string_value(json_object_get(q, "_canon"));
			if (q != p && k2 != NULL && strstr(k2, ck) != NULL && strlen(k2) > strlen(ck) &&
			    !json_is_true(json_object_get(q, "_drop"))) {
				json_object_set_new(p, "_drop", json_true());
				break;
			}
		}
	}
}

/* Abbreviations a text defines by writing them in brackets after the
 * words whose initials they are ("Mặt trận Lào xây dựng đất nước (XDĐN)",
 * "Bộ đội Biên phòng (BĐBP)"): folded abbreviation -> folded words. */
static void
define_abbrevs(struct ctx *c)
{
	const struct doc *d = &c->d;

	for (size_t i = 2; i + 2 < d->nt; i++) {
		char words[ING_PHRASE_MAX];
		const char *a;
		size_t n, b;
		if (!is_punct(d, i, "(") || !is_punct(d, i + 2, ")") ||
		    d->t[i + 1].type != TK_WORD || !d->t[i + 1].upper)
			continue;
		a = d->t[i + 1].f;
		n = strlen(a);
		if (n < 2 || n > 8 || i < n)
			continue;
		b = i - n;
		for (size_t k = 0; k < n; k++)
			if (d->t[b + k].type != TK_WORD || d->t[b + k].f[0] != a[k])
				goto next;
		if (tok_key(d, b, i, words, sizeof words))
			json_object_set_new(c->seen_abbrev, a, json_string(words));
next:
		;
	}
}

/* A body written without its place ("Hội Nông dân", "Văn phòng Ngoại
 * sự") or with a generic one ("Bộ Chỉ huy BĐBP tỉnh") when the text names
 * exactly one body that is it with a place ("Hội Nông dân huyện", "Văn
 * phòng Ngoại sự Khu tự trị …", "Bộ Chỉ huy BĐBP Quảng Trị", the
 * province the text is about) is that body written short. */
static void
drop_short_mentions(struct ctx *c)
{
	size_t i, j;
	json_t *p, *q;

	json_array_foreach(c->props, i, p) {
		const char *ck = json_string_value(json_object_get(p, "_canon"));
		char pre[ING_PHRASE_MAX + 16], gen[16] = "";
		const char *main_name = NULL;
		int n = 0;
		if (ck == NULL || json_is_true(json_object_get(p, "_drop")) ||
		    !json_is_true(json_object_get(p, "_bare")))
			continue;
		snprintf(pre, sizeof pre, "%s", ck);
		{
			/* a generic place word at the end: "… tinh", "… huyen" */
			char *sp = strrchr(pre, ' ');
			if (sp != NULL && (strcmp(sp + 1, "tinh") == 0 ||
			    strcmp(sp + 1, "huyen") == 0 || strcmp(sp + 1, "xa") == 0)) {
				snprintf(gen, sizeof gen, "%s", sp + 1);
				*sp = '\0';
				main_name = strcmp(gen, "tinh") == 0 ? c->main_unit[1] :
				    strcmp(gen, "huyen") == 0 ? c->main_unit[2] : NULL;
			}
		}
		json_array_foreach(c->props, j, q) {
			const char *k2 = json_string_value(json_object_get(q, "_canon"));
			size_t l = strlen(pre);
			const char *rest;
			if (q == p || k2 == NULL || json_is_true(json_object_get(q, "_drop")) ||
			    strncmp(k2, pre, l) != 0 || k2[l] != ' ')
				continue;
			rest = k2 + l + 1;
			if (gen[0] == '\0' ||
			    (strncmp(rest, gen, strlen(gen)) == 0 && rest[strlen(gen)] == ' ') ||
			    (main_name != NULL && main_name[0] && strcmp(rest, main_name) == 0))
				n++;
		}
		if (n == 1)
			json_object_set_new(p, "_drop", json_true());
	}
}

/* Posts listed under their common head: "3 đồn biên phòng: Phú Gia, Hòa
 * Hải, Hương Quang", "giữa các đồn biên phòng: Cửa khẩu quốc tế Tây
 * Trang, Thanh Luông và Pa Thơm", "các trạm kiểm soát biên phòng gồm A và
 * B" - each name is a post of its own, named with the head. */
static void
post_lists(struct ctx *c)
{
	const struct doc *d = &c->d;

	for (size_t i = 0; i < d->nt; i++) {
		const char *kind = NULL;
		size_t n = lex_body(d, i, &kind), q;
		char head[ING_PHRASE_MAX];
		if (n == 0 || strcmp(kind, "border_post") != 0 || d->t[i].cap ||
		    !(i > 0 && (tok_is(d, i - 1, "cac") || d->t[i - 1].type == TK_NUM ||
		    lex_number_word(d, i - 1))))
			continue;
		q = i + n;
		if (is_punct(d, q, ":"))
			q++;
		else if (tok_is(d, q, "gom") || tok_is(d, q, "la"))
			q++;
		else
			continue;
		{
			const char *raw = d->text + d->t[i].b;
			size_t len = d->t[i + n - 1].e - d->t[i].b;
			/* the head as written, its first letter upper case */
			snprintf(head, sizeof head, "%.*s", (int)len, raw);
			if (strncmp(head, "đồn", strlen("đồn")) == 0)
				memcpy(head, "Đồn", strlen("Đồn"));
			else if (strncmp(head, "trạm", strlen("trạm")) == 0)
				memcpy(head, "Trạm", strlen("Trạm"));
		}
		while (q < d->nt) {
			size_t r = cap_run(c, q, ING_NAME_TOKENS);
			json_t *p;
			/* "Cửa khẩu quốc tế Tây Trang": a gate's post */
			if (d->t[q].cap && tok_phrase(d, q, "cua khau") == 2) {
				size_t g = q + 2 + (tok_phrase(d, q + 2, "quoc te") == 2 ? 2 : 0);
				if (cap_run(c, g, ING_NAME_TOKENS) > g)
					r = cap_run(c, g, ING_NAME_TOKENS);
			}
			char text[ING_PHRASE_MAX * 2], *name;
			if (r == q || (c->mark[q] & MK_PERSON))
				break;
			name = tok_dup(c, q, r);
			snprintf(text, sizeof text, "%s %s", head, name ? name : "");
			free(name);
			p = prop_new(c, PKIND_ORGANISATION, q, r, 0.7);
			json_object_set_new(p, PK_TEXT, json_string(text));
			json_object_set_new(p, "org_kind", json_string("border_post"));
			json_object_set_new(p, PK_ORGANISATION_ID, json_null());
			{
				char ck[ING_PHRASE_MAX * 2 + 16], *f = text_fold(text);
				snprintf(ck, sizeof ck, "orgc:%s", f ? f : text);
				json_object_set(c->seen, ck, p);
				free(f);
			}
			for (size_t m = q; m < r; m++)
				c->mark[m] |= MK_ORG;
			q = r;
			if (is_punct(d, q, ",") || tok_is(d, q, "va"))
				q++;
			else
				break;
		}
		i = q > i ? q - 1 : i;
	}
}

void
rule_orgs(struct ctx *c)
{
	const struct doc *d = &c->d;

	define_abbrevs(c);
	post_lists(c);

	for (size_t i = 0; i < d->nt; i++) {
		const char *kind = NULL, *k2, *tail = NULL;
		size_t n, q, e, body_end, chain_end;
		char key[ING_PHRASE_MAX], sk[ING_PHRASE_MAX + 8];
		unsigned lv;
		json_t *p, *org_cand = NULL;
		int64_t org_id = 0;

		if (c->mark[i] & (MK_PERSON | MK_DOC | MK_ORG))
			continue;
		/* "chính quyền huyện Xiềng Khọ": the people's committee of a
		 * named place, written in lower case */
		if (tok_phrase(d, i, "chinh quyen") && (e = lex_unit_type(d, i + 2, &lv)) > 0 &&
		    (c->mark[i + 2 + e] & MK_PLACE) && d->t[i + 2 + e].cap) {
			kind = "people_committee";
			q = i + 2 + e;
			while (q < d->nt && (c->mark[q] & MK_PLACE) && d->t[q].type != TK_NL &&
			    !is_punct(d, q, "(") && !is_punct(d, q, ","))
				q++;
			body_end = chain_end = i + 2;
			goto named;
		}
		n = lex_body(d, i, &kind);
		if (n == 0)
			continue;
		/* written as a name: a capital or an abbreviation; not a part
		 * of a document's symbol ("02/QCPH-UBND"); not several bodies
		 * ("các Đồn Biên phòng") */
		if (!d->t[i].cap || (i > 0 && (tok_is(d, i - 1, "cac") ||
		    tok_is(d, i - 1, "nhung"))))
			continue;
		/* "tuần tra cấp Đồn - Đại đội": levels of a force, not bodies */
		if (i > 0 && (tok_is(d, i - 1, "cap") || (is_dashp(d, i - 1) && i > 2 &&
		    d->t[i - 2].cap && tok_is(d, i - 3, "cap"))))
			continue;
		/* glued to what is before it: a symbol's part, unless one body
		 * over another ("Bộ Tư lệnh BĐBP/Bộ Quốc phòng": a command and
		 * the ministry it is under) */
		if (i > 0 && !d->t[i].sp && (is_punct(d, i - 1, "-") ||
		    is_punct(d, i - 1, "/") || d->t[i - 1].type != TK_PUNCT) &&
		    !(is_punct(d, i - 1, "/") && n >= 2 && !d->t[i].upper && i > 1 &&
		    d->t[i - 2].type == TK_WORD && !d->t[i - 2].upper &&
		    !(c->mark[i - 2] & MK_DOC)))
			continue;
		q = i + n;
		tail = kind;
		/* "Đồn trưởng", "Đại đội trưởng": a title, not the body */
		if (tok_is(d, q, "truong") && tok_raw(d, q, "trưởng"))
			continue;
		/* chained bodies: "Ban Nội chính Tỉnh ủy", "Bộ Chỉ huy BĐBP",
		 * "Văn phòng Đoàn ĐBQH và HĐND tỉnh"; the abbreviation a name
		 * defines ("Ủy ban Mặt trận Tổ quốc (MTTQ) Việt Nam", "Bộ đội
		 * Biên phòng (BĐBP) tỉnh") and the country of a national body
		 * are part of it */
		for (;;) {
			if (q < d->nt && (n = lex_body(d, q, &k2)) > 0 && d->t[q].cap &&
			    !tok_is(d, q, "so") && !(tok_is(d, q, "bo") && n == 1)) {
				q += n;
				tail = k2; /* "Ban Chỉ huy Đồn Biên phòng …": a post's name follows */
				continue;
			}
			if (tok_phrase(d, i, "van phong") && tok_is(d, q, "va") &&
			    (n = lex_body(d, q + 1, &k2)) > 0 && d->t[q + 1].cap) {
				q += 1 + n;
				continue;
			}
			if (is_punct(d, q, "(") && q + 2 < d->nt && d->t[q + 1].upper &&
			    d->t[q + 1].type == TK_WORD && strlen(d->t[q + 1].f) >= 3 &&
			    is_punct(d, q + 2, ")")) {
				q += 3;
				continue;
			}
			if (q > i + 1 && tok_phrase(d, q, "viet nam") && d->t[q].cap) {
				q += 2;
				continue;
			}
			/* a national army names its country ("Quân đội nhân dân
			 * Lào") */
			if (q > i + 1 && tok_phrase(d, q - 4, "quan doi nhan dan") == 4 &&
			    (e = lex_country(d, q, &k2)) > 0) {
				q += e;
				break;
			}
			if (strcmp(kind, "front") == 0 && q < d->nt && d->t[q].upper &&
			    d->t[q].type == TK_WORD && strlen(d->t[q].f) >= 3 &&
			    lex_body(d, q, &k2) == 0 && !(c->mark[q] & MK_PLACE)) {
				q++;
				continue;
			}
			break;
		}
		chain_end = q;
		/* "Ban chỉ huy Công an huyện …": the command of a body is of its
		 * kind */
		if (tok_phrase(d, i, "ban chi huy") == 3 && lex_body(d, i, &k2) == 3 &&
		    chain_end > i + 3 && strcmp(tail, "border_post") != 0)
			kind = tail;
		/* "Văn phòng Tỉnh ủy": the office of a body is of its kind */
		if (tok_phrase(d, i, "van phong") && chain_end > i + 2 && lex_body(d, i + 2, &k2) > 0)
			kind = k2;
		/* the name of a Sở or a post: capitalised words, then the words
		 * that continue it up to punctuation ("Sở Nông nghiệp và Phát
		 * triển nông thôn", "Ban Quản lý Khu kinh tế cửa khẩu Đồng
		 * Đăng", "Văn phòng Ngoại sự", "Ty Cảnh sát") */
		if (strcmp(tail, "border_post") == 0 && tok_phrase(d, q, "cua khau"))
			q += 2 + (tok_phrase(d, q + 2, "quoc te") ? 2 : 0);
		{
			/* units of an army or a police named by their task and
			 * number: "Đại đội bảo vệ biên giới 463", "Tiểu đoàn Bộ
			 * đội bảo vệ biên giới số 3", "Đồn Công an X16" */
			static const char *const numbered[] = { "dai doi", "tieu doan",
				"trung doan", "lu doan", "su doan", "hai doan", "hai doi",
				"don cong an", "trung doi", "tieu khu quan su", NULL };
			size_t nw = tok_phrases(d, i, numbered, NULL);
			bool named_body = strcmp(kind, "department") == 0 ||
			    ((tok_phrase(d, i, "van phong") || tok_phrase(d, i, "ban quan ly") ||
			    tok_phrase(d, i, "chi doi")) &&
			    chain_end == i + 2 + (tok_phrase(d, i, "ban quan ly") ? 1 : 0));
			if (nw > 0 && chain_end == i + nw) {
				/* the words of its task, in either case ("Đại đội Biên
				 * phòng 216", "Đại đội Bảo vệ biên giới 311"): kept
				 * only when its number follows */
				while (q < d->nt && q < i + nw + 8 && d->t[q].type == TK_WORD &&
				    !tok_is(d, q, "so") && !(c->mark[q] & (MK_PLACE | MK_PERSON)) &&
				    (!d->t[q].cap || lex_body(d, q, &k2) == 0 || tok_is(d, q, "bo")) &&
				    lex_verb(d, q) == 0 && !title_ender(d, q) &&
				    !tok_raw(d, q, "của") && lex_unit_type(d, q, &lv) == 0)
					q++;
				if (tok_is(d, q, "so") && q + 1 < d->nt && d->t[q + 1].type == TK_NUM)
					q += 2;
				else if (q < d->nt && d->t[q].type == TK_NUM && d->t[q].sp &&
				    d->t[q].e - d->t[q].b <= 4)
					q++;
				else if (q + 1 < d->nt && d->t[q].type == TK_WORD && d->t[q].upper &&
				    d->t[q + 1].type == TK_NUM && !d->t[q + 1].sp)
					q += 2;
				else if (tok_phrase(d, i, "don cong an") && q < d->nt && d->t[q].cap &&
				    cap_run(c, q, ING_NAME_TOKENS) > q)
					q = cap_run(c, q, ING_NAME_TOKENS); /* a post's name */
				else
					q = chain_end;
				/* "Đại đội bảo vệ biên giới 4, Tiểu đoàn 911, tỉnh Hủa
				 * Phăn": the units it belongs to are part of its name */
				while (q > chain_end && is_punct(d, q, ",") && d->t[q + 1 < d->nt ?
				    q + 1 : q].cap && (tok_phrases(d, q + 1, numbered, NULL) > 0 ||
				    tok_phrase(d, q + 1, "quan khu") == 2)) {
					size_t r = q + 1 + (tok_phrase(d, q + 1, "quan khu") == 2 ? 2 :
					    tok_phrases(d, q + 1, numbered, NULL));
					while (r < d->nt && r < q + 12 && d->t[r].type == TK_WORD &&
					    !tok_is(d, r, "so") && lex_verb(d, r) == 0)
						r++;
					if (tok_is(d, r, "so") && r + 1 < d->nt && d->t[r + 1].type == TK_NUM)
						r += 2;
					else if (r < d->nt && d->t[r].type == TK_NUM)
						r++;
					else
						break;
					q = r;
				}
				if (q > chain_end && is_punct(d, q, ",") && (e = lex_unit_type(d, q + 1,
				    &lv)) > 0 && (c->mark[q + 1 + e] & MK_PLACE))
					q += 1;
			}
			/* heads that need a name after them ("Sở", "Phòng", "Cục"),
			 * unlike whole names ("Ban Dân tộc", "Thanh tra") */
			static const char *const headed[] = { "so", "phong", "bo", "cuc",
				"ty", "van phong", "ban quan ly", "chi doi", "tong cuc", NULL };
			bool needs_name = tok_phrases(d, i, headed, NULL) == chain_end - i;
			if (named_body && (e = lex_dept_name(d, q)) > 0) {
				/* a standard name: "Sở Văn hóa, Thể thao và Du lịch";
				 * a police or army office goes on with its field and
				 * its command ("Phòng Cảnh sát quản lý hành chính về
				 * trật tự xã hội Công an tỉnh") */
				static const char *const open_names[] = { "canh sat", "an ninh",
					"tham muu", "chinh tri", "hau can", NULL };
				bool open = tok_phrases(d, q, open_names, NULL) == e;
				q += e;
				/* the verbs their fields are named by */
				static const char *const field_verbs[] = { "quan ly", "dieu tra",
					"kiem soat", "phong chong", "bao ve", "phong chay", NULL };
				while (open && q < d->nt && q - i < 16 && d->t[q].type == TK_WORD &&
				    !d->t[q].cap && !(tok_is(d, q, "va") && q + 1 < d->nt &&
				    d->t[q + 1].cap && lex_body(d, q + 1, &k2) > 0) &&
				    (lex_verb(d, q) == 0 ||
				    tok_phrases(d, q, field_verbs, NULL) > 0) &&
				    (!title_ender(d, q) || tok_raw(d, q, "về")) &&
				    !tok_raw(d, q, "của") && !(lex_unit_type(d, q, &lv) > 0 &&
				    q + 1 < d->nt && d->t[q + 1].cap))
					q++;
				if (open && q < d->nt && d->t[q].cap && (n = lex_body(d, q, &k2)) > 0 &&
				    !tok_is(d, q, "so") && !tok_is(d, q, "phong"))
					q += n;
			} else if (strcmp(kind, "department") == 0 && !needs_name) {
				/* "Ban Dân tộc tỉnh": the place follows */
			} else if (strcmp(kind, "department") == 0 && tok_phrase(d, i, "thanh tra")) {
				/* "Thanh tra tỉnh": the place follows */
			} else if (named_body || strcmp(tail, "border_post") == 0) {
				size_t r = cap_run(c, q, ING_NAME_TOKENS);
				/* a post named after the words of its task ("Trạm kiểm
				 * tra biên phòng xuất nhập cảnh Kim Thủy Hà"): up to
				 * four plain words, then its name */
				if (r == q && strcmp(tail, "border_post") == 0) {
					static const char *const fn_words[] = { "voi", "va", "tai",
						"cho", "o", "trong", "tren", "cung", "da", "dang",
						"se", "duoc", "bi", "ve", "tu", "den", NULL };
					size_t w2 = q;
					while (w2 < d->nt && w2 < q + 4 && d->t[w2].type == TK_WORD &&
					    !d->t[w2].cap && !in_list(d->t[w2].f, fn_words) &&
					    !title_ender(d, w2) && !tok_raw(d, w2, "của") &&
					    lex_unit_type(d, w2, &lv) == 0)
						w2++;
					if (w2 > q && cap_run(c, w2, ING_NAME_TOKENS) > w2 &&
					    lex_body(d, w2, &k2) == 0 && !(c->mark[w2] & MK_PERSON))
						r = cap_run(c, w2, ING_NAME_TOKENS);
				}
				if (r == q && named_body)
					continue;
				q = r;
				while (q < d->nt && q - i < 14 && named_body) {
					const struct tok *t = &d->t[q];
					size_t r2;
					/* "… và Tổng cục Hải quan": another body */
					if (tok_is(d, q, "va") && q + 1 < d->nt && d->t[q + 1].cap &&
					    lex_body(d, q + 1, &k2) > 0)
						break;
					if (t->type == TK_WORD && !t->cap && !title_ender(d, q) &&
					    lex_verb(d, q) == 0 && lex_unit_type(d, q, &lv) == 0 &&
					    !tok_raw(d, q, "của") && !tok_is(d, q, "tinh") &&
					    !tok_is(d, q, "huyen")) {
						q++;
						continue;
					}
					/* a capitalised word after the lower-case ones
					 * ("… cửa khẩu Đồng Đăng"), not a person, a
					 * place read before or another body */
					if (t->type == TK_WORD && t->cap && q > r &&
					    !(c->mark[q] & MK_PLACE) && lex_body(d, q, &k2) == 0 &&
					    !lex_surname(t->f) &&
					    (r2 = cap_run(c, q, ING_NAME_TOKENS)) > q) {
						q = r2;
						continue;
					}
					break;
				}
			}
		}
		body_end = q;
		/* its place: "tỉnh", "huyện Si Ma Cai", "Cao Bằng", a place
		 * across the border ("Khu tự trị dân tộc Choang Quảng Tây"), a
		 * name after the type word that no list knows ("Ty Công an tỉnh
		 * Champasak"), not a person's */
		if ((e = lex_unit_type(d, q, &lv)) > 0 && !tok_is(d, q + e, "uy")) {
			size_t r;
			q += e;
			r = cap_run(c, q, ING_NAME_TOKENS);
			if (r > q && !(c->mark[q] & (MK_PLACE | MK_PERSON)) &&
			    !(lex_surname(d->t[q].f) && r >= q + 3) && lex_body(d, q, &k2) == 0)
				q = r;
			while (q < d->nt && (c->mark[q] & MK_PLACE) && d->t[q].type != TK_NL &&
			    !is_punct(d, q, "(") && !is_punct(d, q, ","))
				q++;
		} else if (strcmp(tail, "border_post") != 0 && (c->mark[q] & MK_PLACE) &&
		    (strcmp(kind, "department") != 0 || tok_phrase(d, i, "van phong") ||
		    d->t[q].cap)) {
			while (q < d->nt && (c->mark[q] & MK_PLACE) && d->t[q].type != TK_NL &&
			    !is_punct(d, q, "(") && !is_punct(d, q, ","))
				q++;
		} else if (tok_is(d, q, "tinh") || tok_is(d, q, "huyen") ||
		    tok_is(d, q, "xa")) {
			q++;
		}
		/* "Quân khu 5", "Tiểu đoàn 3", "Hải đoàn 48" */
		if (q == chain_end && q < d->nt && d->t[q].type == TK_NUM && d->t[q].sp &&
		    strcmp(kind, "military") == 0 && q > i && !tok_is(d, q - 1, "bdbp") &&
		    d->t[q].e - d->t[q].b <= 3 && !(q + 1 < d->nt &&
		    is_unit_type_word(d->t[q + 1].f)))
			q++;
named:
		/* "Ban chỉ đạo 24" */
		if (tok_phrase(d, i, "ban chi dao") && q < d->nt && d->t[q].type == TK_NUM)
			q++;
		for (size_t k = i; k < q; k++)
			c->mark[k] |= MK_ORG;
		/* "HĐND - UBND 3 huyện", "Hội đồng nhân dân các cấp": bodies of
		 * several units at once, not one body */
		{
			size_t k = q;
			const char *k3;
			size_t bn;
			/* the generic words of such a list: "Đảng ủy, chính
			 * quyền và các ban, ngành, đoàn thể 2 xã" */
			static const char *const generic[] = { "chinh", "quyen", "cac",
				"ban", "nganh", "doan", "the", "va", "co", "quan", "don",
				"vi", "to", "chuc", NULL };
			while (k < d->nt && (is_punct(d, k, ",") || is_punct(d, k, "-") ||
			    (d->t[k].type == TK_WORD && !d->t[k].cap &&
			    in_list(d->t[k].f, generic)) ||
			    ((bn = lex_body(d, k, &k3)) > 0 && (k += bn - 1, true))))
				k++;
			/* a body with its own name ("Đồn Biên phòng Pù Nhi, Công
			 * an hai huyện") is not part of the group after it */
			bool group = k < d->nt && (d->t[k].type == TK_NUM ||
			    lex_number_word(d, k)) &&
			    is_unit_type_word(d->t[k + 1 < d->nt ? k + 1 : k].f) &&
			    /* "Ban Chỉ đạo 35": the number is the body's name */
			    !(k >= 3 && tok_phrase(d, k - 3, "ban chi dao") == 3);
			group |= tok_phrase(d, q, "cac cap") || tok_phrase(d, q, "cac huyen") ||
			    tok_phrase(d, q, "cac xa") || tok_phrase(d, q, "cac tinh");
			if (q == chain_end && group) {
				for (size_t m = i; m < k && m < d->nt; m++)
					c->mark[m] |= MK_ORG;
				i = (k > i ? k : i + 1) - 1;
				continue;
			}
		}
		tok_key(d, i, q, key, sizeof key);
		snprintf(sk, sizeof sk, "org:%s", key);
		/* a bare "Tỉnh ủy", "UBND huyện": the one of the province or
		 * district the report is about; a second mention of a body
		 * already proposed under its full name is not a new one */
		{
			/* the last word says whose: "… tỉnh", "Tỉnh ủy", "… huyện" */
			const char *full = NULL;
			char fk[ING_PHRASE_MAX + 200];
			if (tok_is(d, q - 1, "tinh") || (tok_is(d, q - 1, "uy") &&
			    q >= i + 2 && tok_is(d, q - 2, "tinh")))
				full = c->main_unit[1];
			else if (tok_is(d, q - 1, "huyen") || (tok_is(d, q - 1, "uy") &&
			    q >= i + 2 && tok_is(d, q - 2, "huyen")))
				full = c->main_unit[2];
			if (full != NULL && full[0] != '\0') {
				snprintf(fk, sizeof fk, "org:%s %s", key, full);
				if (json_object_get(c->seen, fk) != NULL) {
					i = q - 1;
					continue;
				}
			}
		}
		/* a body named generically ("Huyện ủy", "UBND huyện") and under
		 * its full name ("Huyện ủy Trùng Khánh") is one body: the bare
		 * mention links to the full one, before or after it */
		{
			char bk[ING_PHRASE_MAX], bk2[ING_PHRASE_MAX];
			char bsk[ING_PHRASE_MAX + 16];
			size_t tw = body_end;
			json_t *full, *bare;
			unsigned lv2;
			size_t tn2 = lex_unit_type(d, tw, &lv2);
			bool has_place = false;
			if (tn2 > 0 && !tok_is(d, tw + tn2, "uy"))
				tw += tn2;
			for (size_t k = body_end; k < q; k++)
				has_place |= d->t[k].cap && (c->mark[k] & MK_PLACE);
			tok_key(d, i, body_end, bk, sizeof bk);
			tok_key(d, i, tw, bk2, sizeof bk2);
			if (!has_place) {
				snprintf(bsk, sizeof bsk, "orgfull:%s", key);
				full = json_object_get(c->seen, bsk);
				if (full != NULL && !json_is_null(full)) {
					i = q - 1;
					continue;
				}
			} else {
				/* drop a bare mention proposed before */
				const char *bks[2] = { bk, bk2 };
				for (int m = 0; m < 2; m++) {
					snprintf(bsk, sizeof bsk, "orgbare:%s", bks[m]);
					bare = json_object_get(c->seen, bsk);
					if (bare != NULL)
						json_object_set_new(bare, "_drop", json_true());
				}
			}
		}
		/* the same body written again, in another case or with its
		 * abbreviations ("Hội nông dân huyện", "UBND tỉnh" after "Ủy
		 * ban nhân dân tỉnh") is one */
		{
			char ck[ING_PHRASE_MAX + 16];
			json_t *old;
			org_canon(c, i, q, ck, sizeof ck);
			if ((old = json_object_get(c->seen, ck)) != NULL) {
				/* the fuller writing names it: "Đại đội bảo vệ biên
				 * giới 4, Tiểu đoàn 911" after "Đại đội 4" */
				const char *ot = json_string_value(json_object_get(old, PK_TEXT));
				if (ot != NULL && d->t[q - 1].e - d->t[i].b > strlen(ot)) {
					json_object_set_new(old, PK_TEXT, tok_text(c, i, q));
					prop_span(c, old, i, q);
				}
				i = q - 1;
				continue;
			}
		}
		{
			/* the stored body: by name, and by the unit the text
			 * names when several bodies share the name */
			char pk[ING_PHRASE_MAX];
			const char *places[4] = { NULL, NULL, NULL, NULL };
			size_t np = 0, pb = body_end;
			while (pb < q && !((c->mark[pb] & MK_PLACE) && d->t[pb].cap))
				pb++;
			if (pb < q) {
				size_t pe = pb;
				while (pe < q && (c->mark[pe] & MK_PLACE) && d->t[pe].type != TK_PUNCT)
					pe++;
				if (tok_key(d, pb, pe, pk, sizeof pk))
					places[np++] = pk;
			}
			if (c->main_unit[1][0])
				places[np++] = c->main_unit[1];
			if (c->main_unit[2][0])
				places[np++] = c->main_unit[2];
			org_id = gaz_org(&c->g, key, places, &org_cand);
		}
		p = prop_new(c, PKIND_ORGANISATION, i, q, org_id > 0 ? 0.9 : 0.7);
		{
			char ck[ING_PHRASE_MAX + 16];
			bool named_place = false;
			org_canon(c, i, q, ck, sizeof ck);
			json_object_set(c->seen, ck, p);
			json_object_set_new(p, "_canon", json_string(ck + 5));
			for (size_t k = chain_end; k < q; k++)
				named_place |= (c->mark[k] & MK_PLACE) && d->t[k].cap;
			if (!named_place)
				json_object_set_new(p, "_bare", json_true());
		}
		json_object_set_new(p, PK_TEXT, tok_text(c, i, q));
		json_object_set_new(p, "org_kind", json_string(kind));
		json_object_set_new(p, PK_ORGANISATION_ID, org_id > 0 ? json_integer(org_id) :
		    json_null());
		if (org_cand != NULL)
			json_object_set_new(p, "candidates", org_cand);
		json_object_set(c->seen, sk, p);
		{
			char bk[ING_PHRASE_MAX], bsk[ING_PHRASE_MAX + 16];
			size_t tw = body_end;
			unsigned lv2;
			size_t tn2 = lex_unit_type(d, tw, &lv2);
			bool has_place = false;
			for (size_t k = body_end; k < q; k++)
				has_place |= d->t[k].cap && (c->mark[k] & MK_PLACE);
			if (tn2 > 0 && !tok_is(d, tw + tn2, "uy"))
				tw += tn2;
			if (has_place) {
				/* the bare forms ("Huyện ủy", "UBND huyện") now name
				 * this body; two bodies with one bare form: neither */
				size_t ends[2] = { body_end, tw };
				for (int m = 0; m < 2; m++) {
					json_t *old;
					tok_key(d, i, ends[m], bk, sizeof bk);
					snprintf(bsk, sizeof bsk, "orgfull:%s", bk);
					old = json_object_get(c->seen, bsk);
					if (old == NULL)
						json_object_set(c->seen, bsk, p);
					else if (old != p && !json_is_null(old) &&
					    strcmp(json_string_value(json_object_get(old, PK_TEXT)),
					    json_string_value(json_object_get(p, PK_TEXT))) != 0)
						json_object_set_new(c->seen, bsk, json_null());
				}
			} else {
				snprintf(bsk, sizeof bsk, "orgbare:%s", key);
				if (json_object_get(c->seen, bsk) == NULL)
					json_object_set(c->seen, bsk, p);
			}
		}
		i = q - 1;
	}
	drop_generic_forces(c);
	drop_short_mentions(c);
}

/* ---- commendations ------------------------------------------------------------ */

static const struct { const char *f; const char *form; } comm_forms[] = {
	{ "bang khen", "Bằng khen" }, { "giay khen", "Giấy khen" },
	{ "co thi dua", "Cờ thi đua" }, { "huan chuong", "Huân chương" },
	{ "huy chuong", "Huy chương" }, { "ky niem chuong", "Kỷ niệm chương" },
	{ "chien si thi dua", "Chiến sĩ thi đua" }, { "danh hieu", "Danh hiệu" },
	{ "giay chung nhan", "Giấy chứng nhận" },
};

/* "N tập thể", "N cá nhân" in [tb, te): the counts (NaN when absent). */
static void
comm_counts(struct ctx *c, size_t tb, size_t te, double *coll, double *ind)
{
	const struct doc *d = &c->d;

	*coll = *ind = NAN;
	for (size_t i = tb; i + 1 < te; i++) {
		double v;
		if (d->t[i].type != TK_NUM)
			continue;
		if (vi_parse_decimal(d->t[i].f, &v) != 0)
			continue;
		if (tok_phrase(d, i + 1, "tap the")) {
			*coll = isnan(*coll) ? v : *coll + v;
			c->mark[i] |= MK_COUNT;
		} else if (tok_phrase(d, i + 1, "ca nhan")) {
			*ind = isnan(*ind) ? v : *ind + v;
			c->mark[i] |= MK_COUNT;
		}
	}
}

static bool party_ok(const struct ctx *c, size_t b, size_t e);

static bool
party_ok_fwd(const struct ctx *c, size_t b, size_t e)
{
	return party_ok(c, b, e);
}

void
rule_commendations(struct ctx *c)
{
	const struct doc *d = &c->d;

	for (size_t s = 0, seg = (size_t)-1; s < d->ns; s++) {
		size_t tb = d->s[s].tb, te = d->s[s].te, fi = 0, fn = 0, vi = 0;
		const char *form = NULL;
		double coll, ind;
		json_t *p;

		/* "A tặng Giấy khen cho 7 tập thể …; B trao Giấy khen cho 4 tập
		 * thể …": one commendation per ';' part */
		if (seg != (size_t)-1) {
			size_t at = seg;
			seg = (size_t)-1;
			if (at >= te)
				continue;
			tb = at;
		}
		for (size_t k = tb; k < te; k++)
			if (is_punct(d, k, ";")) {
				seg = k + 1;
				te = k;
				s--; /* the rest of the sentence next */
				break;
			}

		for (size_t i = tb; i < te && form == NULL; i++)
			for (size_t k = 0; k < sizeof comm_forms / sizeof comm_forms[0]; k++)
				if ((fn = tok_phrase(d, i, comm_forms[k].f)) > 0) {
					form = comm_forms[k].form;
					fi = i;
					break;
				}
		if (form == NULL)
			continue;
		for (size_t i = tb; i < te; i++)
			if (tok_raw(d, i, "tặng") || tok_raw(d, i, "trao") ||
			    tok_phrase(d, i, "khen thuong")) {
				vi = i;
				break;
			}
		comm_counts(c, tb, te, &coll, &ind);
		/* without counts: an act of giving it to someone ("trao Huân
		 * chương … cho Đại tá A … và Đại tá B …", "tặng Bằng khen của UBND
		 * tỉnh cho các tập thể và cá nhân"), not a proposal to give it
		 * ("đề nghị tặng …"); the people named after "cho" are counted */
		if (isnan(coll) && isnan(ind)) {
			size_t cho = 0;
			int named = 0;
			if (vi == 0 || (vi > tb && (tok_phrase(d, vi - 2 >= tb ? vi - 2 : tb,
			    "de nghi") || tok_is(d, vi - 1, "nghi"))))
				continue;
			for (size_t i = fi + fn; i < te && cho == 0; i++)
				if (tok_is(d, i, "cho") && !d->t[i].cap)
					cho = i;
			if (cho == 0)
				continue;
			for (size_t m = 0; m < c->npm; m++)
				if (c->pm[m].nb > cho && c->pm[m].nb < te)
					named++;
			if (named > 0)
				ind = named;
		}
		/* the same award again (a photo caption, a headline) with nothing
		 * new is not another act */
		{
			char ck[128];
			snprintf(ck, sizeof ck, "comm:%s:%g:%g", form, isnan(coll) ? -1.0 : coll,
			    isnan(ind) ? -1.0 : ind);
			if (json_object_get(c->seen, ck) != NULL)
				continue;
			json_object_set_new(c->seen, ck, json_true());
		}
		p = prop_new(c, PKIND_COMMENDATION, tb, te, vi > 0 ? 0.85 : 0.6);
		json_object_set_new(p, PK_FORM, json_string(form));
		/* the issuer: "giấy khen của Chủ tịch UBND huyện X", else the
		 * body that gives it ("UBND tỉnh đã tặng Bằng khen") */
		{
			/* "thừa ủy quyền Nhà nước Campuchia, …": in whose name */
			size_t ci = 0;
			for (size_t i = tb; i < te && ci == 0; i++)
				if (tok_phrase(d, i, "thua uy quyen"))
					ci = i + 3;
			/* "… của <issuer>" after the form, its name or a bracket */
			for (size_t i = fi + fn; i < te && i < fi + fn + 24 && ci == 0; i++) {
				if (tok_is(d, i, "cho") || is_punct(d, i, ";"))
					break;
				if (tok_raw(d, i, "của"))
					ci = i + 1;
			}
			if (ci > 0) {
				size_t ie = ci;
				while (ie < te && !tok_is(d, ie, "cho") && d->t[ie].type != TK_PUNCT &&
				    d->t[ie].type != TK_NUM && ie - ci < 16)
					ie++;
				fi = ci - 1;
				fn = 0;
				json_object_set_new(p, "issuer", tok_text(c, ci, ie));
			}
		}
		if (json_object_get(p, "issuer") != NULL) {
			/* read above */
		} else if (tok_is(d, fi + fn, "cua")) {
			size_t ie = fi + fn + 1;
			while (ie < te && !tok_is(d, ie, "cho") && d->t[ie].type != TK_PUNCT &&
			    d->t[ie].type != TK_NUM && ie - fi < 16)
				ie++;
			json_object_set_new(p, "issuer", tok_text(c, fi + fn + 1, ie));
		} else {
			json_t *iss = json_null();
			size_t lim = vi > 0 ? vi : fi;
			for (size_t i = tb; i < lim; i++) {
				const char *kind;
				size_t n = lex_body(d, i, &kind);
				if (n > 0 && d->t[i].cap) {
					size_t q = i + n, n2;
					unsigned lv;
					size_t tn;
					/* "Bộ Tư lệnh BĐBP": the bodies chained */
					while ((n2 = lex_body(d, q, &kind)) > 0 && d->t[q].cap)
						q += n2;
					tn = lex_unit_type(d, q, &lv);
					if (tn > 0)
						q = cap_run(c, q + tn, ING_NAME_TOKENS);
					json_decref(iss);
					iss = tok_text(c, i, q);
					break;
				}
			}
			/* "chính quyền huyện Sê Pôn trao …": who gives it */
			if (json_is_null(iss) && vi > tb && vi - tb <= 8 && party_ok_fwd(c, tb, vi))
				iss = tok_text(c, tb, vi);
			json_object_set_new(p, "issuer", iss);
		}
		json_object_set_new(p, "collectives", isnan(coll) ? json_null() : json_real(coll));
		json_object_set_new(p, "individuals", isnan(ind) ? json_null() : json_real(ind));
		{
			const char *ev = event_for(c, tb);
			const char *date = NULL;
			for (size_t k = 0; k < c->nev; k++)
				if (ev != NULL && strcmp(c->ev[k].id, ev) == 0 && c->ev[k].date[0])
					date = c->ev[k].date;
			json_object_set_new(p, "date", date ? json_string(date) : json_null());
		}
	}
	/* an award named without counts (a headline, a caption) beside the
	 * same award counted is that award written short */
	{
		size_t i, j;
		json_t *p, *q;
		json_array_foreach(c->props, i, p) {
			if (strcmp(json_string_value(json_object_get(p, PK_KIND)), PKIND_COMMENDATION) != 0 ||
			    !json_is_null(json_object_get(p, "collectives")) ||
			    !json_is_null(json_object_get(p, "individuals")))
				continue;
			json_array_foreach(c->props, j, q) {
				if (q == p || strcmp(json_string_value(json_object_get(q, PK_KIND)),
				    PKIND_COMMENDATION) != 0 || strcmp(json_string_value(json_object_get(q,
				    PK_FORM)), json_string_value(json_object_get(p, PK_FORM))) != 0)
					continue;
				if (!json_is_null(json_object_get(q, "collectives")) ||
				    !json_is_null(json_object_get(q, "individuals")))
					json_object_set_new(p, "_drop", json_true());
			}
		}
	}
}

/* ---- figures ------------------------------------------------------------------- */

/* Measure words, longest first where they share a start. */
static const char *const measures[] = {
	"luot nguoi nghe", "luot nguoi tham gia", "luot nguoi", "luot can bo",
	"luot", "nguoi", "km", "m", "m2", "ha", "ho gia dinh", "ho", "xa",
	"thi tran", "thon", "ban", "xom", "to dan pho", "truong hoc", "truong",
	"cuoc", "buoi", "lan", "vu viec", "vu", "doi tuong", "tap the", "ca nhan",
	"trieu dong", "ty dong", "ti dong", "nghin dong", "dong", "con", "tan", "kg",
	"chi bo", "dang vien", "nhom muc tieu", "nhom nhiem vu", "chi tieu",
	"muc tieu", "bien che", "dong chi", "huyen", "tinh", "diem cau",
	"nhiem vu", "van ban", "mo hinh", "to", "lao dong", "hoc sinh", "suat qua",
	"suat", "phan qua", "cay", "gia dinh", "nha", "cong trinh", "du an",
	"doan vien", "hoi vien", "lop", "tin bai", "bai", "tai lieu", "to roi",
	"cot moc", "moc", "huong", "tran", "cum", "xe", "chiec", "ngay cong",
	"dot", "tieu chi", "san pham", "hop tac xa", "doanh nghiep", "co so",
	"hang muc", "tuyen", "diem", "ho so", "don thu", "don", "bo", "ban sao",
	"trieu", "ty", "nghin", "ngan", "dai bieu", "can bo", "chien si",
	"phuong tien", "vu an", "bi can", "khau", "vien", "tran dau", "giai",
	"doi", "thanh vien", "dia phuong", "so", "nganh", "don vi", "co quan",
	"usd", "eur", "vnd", "kip", "nhan dan te", "riel", "do la", "do la my",
	NULL };

/* Words that are not a measure after a number. */
static const char *const not_measures[] = { "nam", "thang", "ngay", "gio",
	"phut", "tuan", "quy", "va", "voi", "cua", "trong", "la", "duoc", "da",
	"se", "co", "nay", "do", "den", "tu", "o", "tai", "cho", "thi", "ma",
	"nhu", "cac", "nhung", "mot", "moi", "tren", "duoi", "hon", "gan",
	"khoang", "dat", "theo", "sau", "truoc", "ve", "vao", "ra", "len",
	"xuong", "con", "the", "lan thu", "thu", "khoa", "nhiem", "tuoi", NULL };

/* Before a number that is a name or an ordinal, not a quantity. */
static const char *const not_before[] = { "so", "thu", "khoa", "luc", "dieu",
	"khoan", "muc", "moc", "ql", "quoc", "lo", "tinh", "phong", "tuyen",
	"kenh", "img", "trang", "ban", "dao", "phu", "luc", NULL };

static const char *const activity_measures[] = { "cuoc", "buoi", "lan",
	"luot", "luot nguoi", "luot nguoi nghe", "luot nguoi tham gia", "km",
	"m", "vu", "vu viec", "doi tuong", "suat", "suat qua", "phan qua",
	"nguoi", "ho", "tan", "con", "xe", "chiec", "ngay cong", "dot",
	"tin bai", "bai", "tai lieu", "to roi", "lop", NULL };

struct fig {
	size_t tb, te;           /* tokens of the figure                     */
	size_t nb, ne;           /* the number (first value)                 */
	double value, value2;    /* value2: the total of a fraction, or NAN  */
	bool percent, fraction, range;
	char qualifier[16];
	char unit[96];
	double linked;           /* unused (linked counts are a chain)       */
	size_t link_at;          /* the number of the count linked after it
	                          * ("3 vụ/13 đối tượng"), or 0              */
	bool with;               /* linked by "với" ("112 cuộc với 185 lượt
	                          * người"), not by "/"                      */
};

/* The decimal at token i written as "23.000", "184,5", "1.234,5": its end
 * token and value. */
static size_t
read_decimal(const struct doc *d, size_t i, double *v)
{
	size_t q = i + 1;
	char buf[64];
	size_t n;

	while (q + 1 < d->nt && (is_punct(d, q, ".") || is_punct(d, q, ",")) &&
	    !d->t[q].sp && !d->t[q + 1].sp && d->t[q + 1].type == TK_NUM)
		q += 2;
	n = d->t[q - 1].e - d->t[i].b;
	if (n >= sizeof buf)
		return i;
	memcpy(buf, d->text + d->t[i].b, n);
	buf[n] = '\0';
	if (vi_parse_decimal(buf, v) != 0)
		return i;
	return q;
}

static bool is_unit_type_word(const char *f);

/* The measure word(s) at q: end token, the unit text in unit. */
static size_t
read_measure(struct ctx *c, size_t q, char *unit, size_t ulen, bool *known)
{
	const struct doc *d = &c->d;
	size_t n, best = 0;
	double scale = 1;

	(void)scale;
	unit[0] = '\0';
	*known = false;
	if (q >= d->nt || d->t[q].type != TK_WORD)
		return q;
	best = tok_phrases(d, q, measures, NULL);
	if (best > 0) {
		*known = true;
		/* a scale word then the measure: "triệu đồng" */
		if ((tok_is(d, q, "trieu") || tok_is(d, q, "ty") || tok_is(d, q, "nghin") ||
		    tok_is(d, q, "ngan")) &&
		    (n = tok_phrases(d, q + 1, measures, NULL)) > 0)
			best = 1 + n;
	} else if (!d->t[q].cap && !in_list(d->t[q].f, not_measures) &&
	    lex_verb(d, q) == 0) {
		/* most nouns are two syllables: "25 công dân", "3 văn kiện" */
		best = 1;
		if (q + 1 < d->nt && d->t[q + 1].type == TK_WORD && !d->t[q + 1].cap &&
		    d->t[q + 1].sp && !in_list(d->t[q + 1].f, not_measures) &&
		    lex_verb(d, q + 1) == 0 && !tok_raw(d, q + 1, "của") &&
		    !is_unit_type_word(d->t[q + 1].f))
			best = 2;
	} else {
		return q;
	}
	n = q + best;
	/* "đồng/ha", "%/năm" */
	if (is_punct(d, n, "/") && !d->t[n].sp && n + 1 < d->nt &&
	    d->t[n + 1].type == TK_WORD && !d->t[n + 1].sp)
		n += 2;
	{
		char *s = tok_dup(c, q, n);
		snprintf(unit, ulen, "%s", s ? s : "");
		free(s);
	}
	return n;
}

static bool
is_unit_type_word(const char *f)
{
	static const char *const w[] = { "huyen", "xa", "tinh", "thon", "ban",
		"xom", "thi tran", "phuong", "huong", "tran", NULL };

	return in_list(f, w);
}

/* A figure at the number token i: filled f, false for none. */
/* Nouns that count things by their kind and take the noun after them
 * into the measure ("3.000 cuốn lịch", "3.000 cuốn sổ tay", "100 bộ
 * sách"): two counts of one classifier are different things. */
static const char *const classifiers[] = { "cuon", "bo", "chiec", "cai", "tam",
	"quyen", "buc", "can", "ngoi", "con", "mon", "bao", "thung", NULL };

/* The words that describe what a count counts before the count linked to
 * it ("1.151 lượt tổ/3.548 lượt cán bộ", "1.300 buổi tuyên truyền/63.000
 * lượt người nghe"): up to four lower-case words, then "/" and a number.
 * The number's token, or 0. */
static size_t
link_after(const struct doc *d, size_t q, size_t *desc_end)
{
	size_t e = q;

	while (e < d->nt && e < q + 4 && d->t[e].type == TK_WORD && !d->t[e].cap &&
	    d->t[e].sp && !tok_is(d, e, "va") && !tok_is(d, e, "voi") &&
	    !tok_raw(d, e, "của"))
		e++;
	for (size_t k = q; k <= e; k++) {
		if (k < d->nt && is_punct(d, k, "/") && !d->t[k].sp && k + 1 < d->nt &&
		    d->t[k + 1].type == TK_NUM) {
			*desc_end = k;
			return k + 1;
		}
	}
	return 0;
}

static bool
scan_figure(struct ctx *c, size_t i, struct fig *f, bool linked)
{
	const struct doc *d = &c->d;
	size_t q, m;
	bool known = false;

	memset(f, 0, sizeof *f);
	f->value2 = f->linked = NAN;
	if (d->t[i].type != TK_NUM || (c->mark[i] & (MK_DATE | MK_DOC | MK_COUNT |
	    MK_FIGURE | MK_ORG)))
		return false;
	/* glued to what comes before: a code, a decimal's part; not after a
	 * comma that follows a word ("an toàn,18 tổ") nor in a chain of
	 * linked counts */
	if (i > 0 && !d->t[i].sp && !linked && (d->t[i - 1].type == TK_WORD ||
	    d->t[i - 1].type == TK_NUM || is_punct(d, i - 1, "_") ||
	    is_punct(d, i - 1, "/") || is_punct(d, i - 1, ".") ||
	    (is_punct(d, i - 1, ",") && !(i > 1 && d->t[i - 2].type == TK_WORD))))
		return false;
	/* a name's number ("bản 3", "Ban chỉ đạo 24"), not a count after
	 * "bạn" ("hỗ trợ tỉnh bạn 3 công trình") */
	if (i > 0 && d->t[i - 1].type == TK_WORD && in_list(d->t[i - 1].f, not_before) &&
	    !tok_raw(d, i - 1, "bạn"))
		return false;
	/* a capitalised name before it: "Ban chỉ đạo 24", "Quốc lộ 4" */
	if (i > 0 && d->t[i - 1].type == TK_WORD && d->t[i - 1].cap &&
	    !(i > 1 && d->t[i - 2].type == TK_PUNCT) && !tok_is(d, i - 1, "dat"))
		return false;
	f->nb = i;
	f->tb = i;
	q = read_decimal(d, i, &f->value);
	if (q == i)
		return false;
	f->ne = q;
	if (is_punct(d, q, ":") && !d->t[q].sp)
		return false; /* a time */
	if (is_punct(d, q, "%")) {
		f->percent = true;
		q++;
		if (is_punct(d, q, "/") && !d->t[q].sp && q + 1 < d->nt &&
		    d->t[q + 1].type == TK_WORD) {
			char *s = tok_dup(c, q - 1, q + 2);
			snprintf(f->unit, sizeof f->unit, "%s", s ? s : "%");
			free(s);
			q += 2;
		} else {
			snprintf(f->unit, sizeof f->unit, "%%");
		}
	} else if (is_punct(d, q, "/") && !d->t[q].sp && q + 1 < d->nt &&
	    d->t[q + 1].type == TK_NUM) {
		double tot;
		size_t q2 = read_decimal(d, q + 1, &tot);
		if (q2 == q + 1 || tot == 0)
			return false;
		f->fraction = true;
		f->value2 = tot;
		q = q2;
		q = read_measure(c, q, f->unit, sizeof f->unit, &known);
	} else {
		/* "1 - 2 biên chế", "2-7 hộ" */
		if ((is_punct(d, q, "-") || tok_is(d, q, "den")) &&
		    q + 1 < d->nt && d->t[q + 1].type == TK_NUM) {
			double v2;
			size_t q2 = read_decimal(d, q + 1, &v2);
			if (q2 > q + 1 && v2 > f->value) {
				f->range = true;
				f->value2 = v2;
				q = q2;
			}
		}
		m = read_measure(c, q, f->unit, sizeof f->unit, &known);
		if (m == q)
			return false;
		/* "3 huyện Si Ma Cai", "giữa 3 huyện", "UBND 03 huyện": naming
		 * a group of units, not counting them */
		{
			char uf[64];
			const char *kind;
			tok_key(d, q, m, uf, sizeof uf);
			if (is_unit_type_word(uf)) {
				if (m < d->nt && d->t[m].type == TK_WORD && d->t[m].cap)
					return false;
				if (i > 0 && (tok_is(d, i - 1, "giua") || tok_is(d, i - 1, "cua") ||
				    tok_is(d, i - 1, "cac") || tok_is(d, i - 1, "ca")))
					return false;
				for (size_t k = i > 3 ? i - 3 : 0; k < i; k++)
					if (lex_body(d, k, &kind) > 0 && k + lex_body(d, k, &kind) == i)
						return false;
			}
		}
		/* durations: "1 năm thực hiện" (read_measure refused them) */
		q = m;
		/* a classifier takes its noun: "cuốn lịch", "bộ sách" */
		{
			size_t w;
			if (m > 0 && tok_phrases(d, m - 1, classifiers, &w) == 1 &&
			    m < d->nt && d->t[m].type == TK_WORD && !d->t[m].cap &&
			    d->t[m].sp && !in_list(d->t[m].f, not_measures)) {
				char *s2 = tok_dup(c, m - 1, m + 1);
				snprintf(f->unit, sizeof f->unit, "%s", s2 ? s2 : "");
				free(s2);
				q = m + 1;
			}
		}
		/* a count linked to the next: "3 vụ/13 đối tượng", "1.151 lượt
		 * tổ/3.548 lượt cán bộ chiến sĩ", "84 tổ/ 498 thành viên"; the
		 * words before "/" describe this count */
		{
			size_t de, la = link_after(d, q, &de);
			if (la > 0) {
				double v2;
				if (read_decimal(d, la, &v2) > la) {
					if (de > q) {
						char *s2 = tok_dup(c, f->ne, de);
						snprintf(f->unit, sizeof f->unit, "%s", s2 ? s2 : "");
						free(s2);
					}
					f->link_at = la;
					q = de;
				}
			} else if (tok_is(d, q, "voi") && q + 1 < d->nt &&
			    d->t[q + 1].type == TK_NUM) {
				f->link_at = q + 1;
				f->with = true;
			}
		}
	}
	/* scale words ("1,5 triệu") are read by text.c when it parses */
	f->te = q;
	/* the qualifier before: "trên 23.000", "đạt trên 3,6%", "gần" */
	for (size_t k = i; k > 0 && i - k < 2; k--) {
		static const char *const quals[] = { "tren", "hon", "gan", "khoang",
			"duoi", "toi", "vuot", "dat", NULL };
		static const char *const canon[] = { "trên", "hơn", "gần",
			"khoảng", "dưới", "tới", "vượt", "đạt", NULL };
		const struct tok *t = &d->t[k - 1];
		size_t w;
		if (t->type != TK_WORD)
			break;
		for (w = 0; quals[w] != NULL; w++)
			if (strcmp(t->f, quals[w]) == 0)
				break;
		if (quals[w] == NULL)
			break;
		if (f->qualifier[0] == '\0' || strcmp(f->qualifier, "đạt") == 0)
			snprintf(f->qualifier, sizeof f->qualifier, "%s", canon[w]);
		f->tb = k - 1;
	}
	/* "từ 100% trở lên": a threshold, not a figure */
	if (f->percent && i > 0 && tok_is(d, i - 1, "tu") &&
	    (tok_phrase(d, q, "tro len") || tok_phrase(d, q, "tro xuong")))
		return false;
	if (!f->percent && !f->fraction && !known && f->qualifier[0] == '\0' &&
	    f->value < 2)
		return false; /* "1 cán bộ" reads as "a cadre" more than a count */
	return true;
}

static const char *
proposed_as(const struct ctx *c, const struct fig *f)
{
	const struct sent *s = sent_of(c, f->tb);
	const struct doc *d = &c->d;
	char uf[96];

	if (f->fraction && (tok_range_has(d, s->tb, s->te, "ky ket") ||
	    tok_range_has(d, s->tb, s->te, "ket nghia") ||
	    tok_range_has(d, s->tb, s->te, "thoa thuan")))
		return "agreement_progress";
	if (f->percent || f->fraction)
		return PAS_INDICATOR_VALUE;
	tok_key(d, f->ne, f->te, uf, sizeof uf);
	{
		const char *u = uf;
		/* skip a range's second number */
		for (size_t k = 0; activity_measures[k] != NULL; k++)
			if (strstr(u, activity_measures[k]) == u)
				return PAS_ACTIVITY_QUANTITY;
	}
	if (strstr(f->unit, "đồng") != NULL || strstr(f->unit, "ha") != NULL)
		return PAS_INDICATOR_VALUE;
	return "other";
}

/* What is counted: the words after a percent ("100% hộ gia đình ở …"),
 * else the clause before the number ("Tỷ lệ giảm nghèo hàng năm đạt"). */
static json_t *
figure_subject(struct ctx *c, const struct fig *f)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, f->tb);
	size_t b, e;

	if (f->percent && f->te < s->te && d->t[f->te].type == TK_WORD) {
		b = f->te;
		e = b;
		while (e < s->te && d->t[e].type != TK_PUNCT && d->t[e].type != TK_NL &&
		    e - b < 12)
			e++;
		return tok_text(c, b, e);
	}
	e = f->tb;
	b = e;
	while (b > s->tb && d->t[b - 1].type != TK_NL &&
	    !is_punct(d, b - 1, ";") && !is_punct(d, b - 1, ":") &&
	    !is_punct(d, b - 1, ",") && !is_punct(d, b - 1, ".") && e - b < 14)
		b--;
	/* "… được 321 cuộc": the verb and "được"/"là" add nothing */
	while (e > b && (tok_is(d, e - 1, "duoc") || tok_is(d, e - 1, "la") ||
	    tok_is(d, e - 1, "co") || tok_is(d, e - 1, "voi") ||
	    tok_is(d, e - 1, "dat")))
		e--;
	if (e <= b) {
		if (f->unit[0] != '\0' && !f->percent)
			return json_string(f->unit);
		return json_null();
	}
	return tok_text(c, b, e);
}

/* The period a figure counts: a date that is not a day in its sentence
 * before it ("Năm 2020, … trên 12 tỷ đồng"), else the one that opens its
 * paragraph ("Trong 6 tháng đầu năm 2023, …" above the figures); the id
 * of that date's proposal, or NULL. */
static const char *
figure_period(const struct ctx *c, size_t at)
{
	const struct doc *d = &c->d;
	const struct sent *s = sent_of(c, at);
	const struct found_date *best = NULL;
	char key[64];
	json_t *p;

	for (size_t k = 0; k < c->ndates; k++) {
		const struct found_date *x = &c->dates[k];
		if (x->tb >= s->tb && x->tb < at && strcmp(x->gran, "day") != 0)
			best = x;
	}
	if (best == NULL) {
		/* back to the paragraph's first sentence (a blank line above) */
		size_t si = d->sent_of[s->tb];
		while (si > 0 && d->s[si].tb >= 2 && !(d->t[d->s[si].tb - 1].type == TK_NL &&
		    d->t[d->s[si].tb - 2].type == TK_NL) && si + 6 > d->sent_of[s->tb])
			si--;
		for (size_t k = 0; k < c->ndates && best == NULL; k++) {
			const struct found_date *x = &c->dates[k];
			size_t lb = d->s[si].tb;
			if (x->tb >= lb && x->tb <= lb + 2 && strcmp(x->gran, "day") != 0 &&
			    d->sent_of[x->tb] < d->sent_of[s->tb] && d->sent_of[x->tb] >= si)
				best = x;
		}
	}
	if (best == NULL)
		return NULL;
	snprintf(key, sizeof key, "date:%s:%s", best->start, best->end);
	p = json_object_get(c->seen, key);
	return p != NULL ? json_string_value(json_object_get(p, "id")) : NULL;
}

static json_t *
emit_figure(struct ctx *c, const struct fig *f, double value, const char *unit,
    double of, bool second)
{
	json_t *p = prop_new(c, "figure", f->tb, f->te, second ? 0.8 :
	    f->unit[0] ? 0.85 : 0.6);

	json_object_set_new(p, PK_TEXT, tok_text(c, f->tb, f->te));
	json_object_set_new(p, PK_VALUE, json_real(value));
	json_object_set_new(p, "unit", unit[0] ? json_string(unit) : json_null());
	json_object_set_new(p, PK_QUALIFIER, f->qualifier[0] && !second ?
	    json_string(f->qualifier) : json_null());
	json_object_set_new(p, "of", isnan(of) ? json_null() : json_real(of));
	json_object_set_new(p, "percent", f->percent ? json_real(value) : json_null());
	if (f->range)
		json_object_set_new(p, "value_to", json_real(f->value2));
	json_object_set_new(p, "subject", figure_subject(c, f));
	json_object_set_new(p, "proposed_as", json_string(proposed_as(c, f)));
	{
		const char *ev = event_for(c, f->tb);
		const char *per = figure_period(c, f->tb);
		json_object_set_new(p, "event", ev ? json_string(ev) : json_null());
		json_object_set_new(p, PK_PERIOD, per ? json_string(per) : json_null());
	}
	return p;
}

/* One figure's proposal (its scale words and exact value by text.c, the
 * percent of a fraction just before it merged into that one); NULL when
 * it repeats a count already proposed. */
static json_t *
figure_out(struct ctx *c, struct fig *f, json_t **last_fraction, double *lf_ratio,
    size_t *lf_sent)
{
	const struct doc *d = &c->d;
	double value = f->value;
	char unit[96];
	json_t *p;

	for (size_t k = f->tb; k < f->te; k++)
		c->mark[k] |= MK_FIGURE;
	snprintf(unit, sizeof unit, "%s", f->unit);
	/* scale words and the exact value: text.c's grammar */
	if (!f->percent && !f->fraction) {
		struct vi_quantity vq;
		char *s = tok_dup(c, f->nb, f->te);
		if (s != NULL && vi_parse_quantity(s, &vq) == 0 &&
		    vq.kind == VI_QTY_NUMBER) {
			value = vq.value;
			if (vq.unit[0] != '\0' || unit[0] == '\0')
				snprintf(unit, sizeof unit, "%s", vq.unit);
		}
		free(s);
	}
	/* a count or a fraction repeated (the headline, then the body) is
	 * one fact */
	if (!f->percent) {
		char key[160];
		snprintf(key, sizeof key, "fig:%.6g:%.6g:%s", value,
		    f->fraction ? f->value2 : -1.0, unit);
		if (json_object_get(c->seen, key) != NULL)
			return NULL;
		json_object_set_new(c->seen, key, json_true());
	}
	/* "33/34 xã …, đạt 97% kế hoạch": the percent of that fraction */
	if (f->percent && *last_fraction != NULL && *lf_sent == d->sent_of[f->nb] &&
	    fabs(*lf_ratio - value) <= 1.5) {
		json_t *sp = json_object_get(*last_fraction, "span");
		size_t b = (size_t)json_integer_value(json_array_get(sp, 0));
		size_t tb = 0;
		while (tb < d->nt && d->t[tb].b < b)
			tb++;
		json_object_set_new(*last_fraction, "percent", json_real(value));
		prop_span(c, *last_fraction, tb, f->te);
		json_object_set_new(*last_fraction, PK_TEXT, tok_text(c, tb, f->te));
		*last_fraction = NULL;
		return NULL;
	}
	p = emit_figure(c, f, value, unit, f->fraction ? f->value2 : NAN, false);
	if (f->fraction) {
		*last_fraction = p;
		*lf_ratio = 100.0 * f->value / f->value2;
		*lf_sent = d->sent_of[f->nb];
	}
	return p;
}

void
rule_figures(struct ctx *c)
{
	const struct doc *d = &c->d;
	json_t *last_fraction = NULL;
	double lf_ratio = NAN;
	size_t lf_sent = (size_t)-1;
	int groups = 0;

	for (size_t i = 0; i < d->nt; i++) {
		struct fig f;
		json_t *p;
		char gid[16] = "";

		if (!scan_figure(c, i, &f, false))
			continue;
		p = figure_out(c, &f, &last_fraction, &lf_ratio, &lf_sent);
		i = f.te - 1;
		/* linked counts: "58 tổ/455 phương tiện/4.291 thành viên",
		 * "112 cuộc với 185 lượt người": each a figure, one group */
		while (f.link_at > 0) {
			struct fig g;
			json_t *pg;
			if (!scan_figure(c, f.link_at, &g, !f.with))
				break;
			if (gid[0] == '\0') {
				snprintf(gid, sizeof gid, "g%d", ++groups);
				if (p != NULL)
					json_object_set_new(p, "group", json_string(gid));
			}
			pg = figure_out(c, &g, &last_fraction, &lf_ratio, &lf_sent);
			if (pg != NULL)
				json_object_set_new(pg, "group", json_string(gid));
			i = g.te - 1;
			f = g;
		}
	}
}

/* ---- recommendations and tasks --------------------------------------------------- */

/* Token i is the word w as written, case aside ("cần" is not "cán"). */
static bool
raw_is(const struct ctx *c, size_t i, const char *w)
{
	const struct tok *t = &c->d.t[i];
	char *l, *lw;
	bool eq;

	if (t->type != TK_WORD || t->e - t->b > 16)
		return false;
	{
		char tmp[24];
		memcpy(tmp, c->d.text + t->b, t->e - t->b);
		tmp[t->e - t->b] = '\0';
		l = text_upper(tmp);
	}
	lw = text_upper(w);
	eq = l != NULL && lw != NULL && strcmp(l, lw) == 0;
	free(l);
	free(lw);
	return eq;
}

/* Words that may make up who asks or who is asked: bodies, titles,
 * places, "các cấp", "cơ quan, đơn vị" … (folded). */
static const char *const party_words[] = { "uy", "ban", "thuong", "vu",
	"truc", "tinh", "huyen", "xa", "thi", "tran", "thanh", "pho", "ubnd",
	"hdnd", "mttq", "bdbp", "cac", "cap", "chinh", "quyen", "nganh", "don",
	"vi", "dia", "phuong", "so", "doan", "the", "dong", "chi", "bi", "thu",
	"chu", "tich", "truong", "vien", "giam", "doc", "va", "nhan", "dan",
	"hoi", "mat", "to", "quoc", "dang", "bo", "bien", "phong", "gioi",
	"cong", "an", "tham", "muu", "giup", "chuc", "nang", "trung",
	"uong", "phu", "lanh", "dao", "lien", "quan", "doanh", "nghiep",
	"huong", "ban", "nganh", "doan", "ke", "chuyen", "mon", "ca", "doi",
	"hai", "ben", "gia", "nuoc", "thon", "xom", "ap", "lang", "khom", "phuong",
	NULL };

static bool
party_word(const struct ctx *c, size_t i)
{
	const struct doc *d = &c->d;
	const struct tok *t = &d->t[i];

	if (t->type == TK_NUM)
		return true;
	if (t->type == TK_PUNCT)
		return strcmp(t->f, ",") == 0 || strcmp(t->f, "-") == 0 ||
		    (strcmp(t->f, ".") == 0 && i > 0 && tok_is(d, i - 1, "tt"));
	if (t->type != TK_WORD)
		return false;
	if (t->cap || t->upper)
		return true;
	/* "cơ quan" but not "có", nor "quan tâm"; "giúp việc" but not "việc" */
	if (strcmp(t->f, "co") == 0)
		return tok_is(d, i + 1, "quan");
	if (strcmp(t->f, "quan") == 0)
		return i > 0 && tok_is(d, i - 1, "co");
	if (strcmp(t->f, "viec") == 0)
		return i > 0 && tok_is(d, i - 1, "giup");
	return in_list(t->f, party_words);
}

/* A party names a body, a place, a group of units or agencies, not just
 * "dân" or "ta". */
static bool
party_ok(const struct ctx *c, size_t b, size_t e)
{
	static const char *const heads[] = { "ben", "phia", "cac", "cap", "nganh", "co",
		"don", "dia", "so", "ban", "doan", NULL };

	for (size_t k = b; k < e; k++) {
		unsigned lv;
		const char *kind;
		if (c->d.t[k].cap || lex_unit_type(&c->d, k, &lv) > 0 ||
		    lex_body(&c->d, k, &kind) > 0 ||
		    (c->d.t[k].type == TK_WORD && in_list(c->d.t[k].f, heads)))
			return true;
	}
	return false;
}

/* Words of the names of departments and offices ("Phòng Tài chính - Kế
 * hoạch", "Sở Lao động - Thương binh và Xã hội"), read as a party only
 * inside such a name. */
static const char *const dept_words[] = { "tai", "chinh", "ke", "hoach",
	"dau", "tu", "noi", "vu", "phap", "nong", "nghiep", "phat", "trien",
	"thon", "giao", "duc", "dao", "tao", "y", "te", "van", "hoa", "the",
	"thao", "du", "lich", "lao", "thuong", "binh", "xa", "hoi", "nguyen",
	"moi", "truong", "cong", "thong", "tai", "tin", "truyen", "khoa",
	"hoc", "nghe", "dan", "toc", "tra", "xay", "dung", "ngoai", NULL };

static bool
in_dept_name(const struct ctx *c, size_t from, size_t i)
{
	const struct doc *d = &c->d;

	if (d->t[i].type != TK_WORD || !in_list(d->t[i].f, dept_words))
		return false;
	if (i == 0 || !(d->t[i - 1].cap || is_punct(d, i - 1, "-") ||
	    in_list(d->t[i - 1].f, dept_words)))
		return false;
	for (size_t k = from; k < i; k++)
		if (tok_is(d, k, "phong") || tok_is(d, k, "so") || tok_is(d, k, "cuc") ||
		    tok_is(d, k, "ban") || tok_is(d, k, "bo") || tok_is(d, k, "vien"))
			return true;
	return false;
}

/* Who is asked: party words from i; returns the end (trailing commas
 * and "và" dropped). */
static size_t
party_after(const struct ctx *c, size_t i, size_t te)
{
	size_t q = i, n;

	while (q < te) {
		const char *kind;
		/* a standard department name, commas and all */
		if (q > i && (tok_is(&c->d, q - 1, "so") || tok_is(&c->d, q - 1, "phong")) &&
		    (n = lex_dept_name(&c->d, q)) > 0) {
			q += n;
			continue;
		}
		/* a body or a place read before: "Đồn Biên phòng Cửa khẩu quốc
		 * tế Lao Bảo" */
		if (c->mark[q] & (MK_ORG | MK_PLACE)) {
			q++;
			continue;
		}
		/* the party ends before its verb: "Công an huyện | chủ trì" */
		if (lex_verb(&c->d, q) > 0 && lex_body(&c->d, q, &kind) == 0)
			break;
		if (!(party_word(c, q) || in_dept_name(c, i, q)))
			break;
		q++;
	}
	while (q > i && (is_punct(&c->d, q - 1, ",") || tok_is(&c->d, q - 1, "va") ||
	    is_punct(&c->d, q - 1, "-")))
		q--;
	return q;
}

/* Who asks: party words back from verb v; returns the start. */
static size_t
party_before(const struct ctx *c, size_t v, size_t tb, size_t *endp)
{
	static const char *const adverbs[] = { "cung", "da", "se", "con",
		"dong thoi", "thoi", "tiep", "luon", "van", NULL };
	size_t q = v, end;

	for (;;) {
		if (q >= tb + 2 && tok_phrase(&c->d, q - 2, "dong thoi") == 2)
			q -= 2;
		else if (q > tb && c->d.t[q - 1].type == TK_WORD &&
		    in_list(c->d.t[q - 1].f, adverbs))
			q--;
		else
			break;
	}
	end = q;
	/* "Đại tá X, Phó Chỉ huy trưởng … tỉnh yêu cầu": the person whose
	 * title ends at the verb */
	if (q > tb && (c->mark[q - 1] & MK_PERSON)) {
		while (q > tb && (c->mark[q - 1] & MK_PERSON))
			q--;
		*endp = end;
		return q;
	}
	while (q > tb && party_word(c, q - 1))
		q--;
	while (q < end && (is_punct(&c->d, q, ",") || tok_is(&c->d, q, "va") ||
	    is_punct(&c->d, q, "-")))
		q++;
	while (end > q && c->d.t[end - 1].type == TK_PUNCT)
		end--;
	/* a person named in it speaks for it: "…của huyện X, Bí thư Tỉnh
	 * ủy Đặng Xuân Phong giao" */
	for (size_t k = end; k > q; k--) {
		if (c->mark[k - 1] & MK_PERSON) {
			size_t b = k - 1;
			while (b > q && (c->mark[b - 1] & MK_PERSON))
				b--;
			q = b;
			break;
		}
	}
	/* "Để thực hiện tốt nhiệm vụ, Đảng ủy xã …": a phrase before a comma
	 * that opens with neither a body, a place nor a person is not part
	 * of the party */
	for (size_t k = q; k < end; k++) {
		const char *bk;
		if (!is_punct(&c->d, k, ","))
			continue;
		if (lex_body(&c->d, q, &bk) == 0 && !(c->mark[q] & (MK_ORG | MK_PERSON | MK_PLACE)) &&
		    !(c->d.t[q].type == TK_WORD && c->d.t[q].cap && lex_unit_type(&c->d, q, &(unsigned){ 0 }) > 0))
			q = k + 1;
		break;
	}
	/* a sentence-initial connective ("Về", "Tại", "Trong") is not a party */
	while (q < end && c->d.t[q].cap && (tok_is(&c->d, q, "ve") ||
	    tok_is(&c->d, q, "tai") || tok_is(&c->d, q, "trong") ||
	    tok_is(&c->d, q, "dong")) && !tok_phrase(&c->d, q, "dong chi"))
		q++;
	*endp = end;
	return q;
}

static const char *const imperative_starts[] = { "dau tu", "xay dung",
	"tang cuong", "tich cuc", "day manh", "chu trong", "tap trung",
	"tiep tuc", "nang cao", "quan tam", "ho tro", "bo tri", "som",
	"nghien cuu", "xem xet", "kip thoi", "thuc hien", "duy tri", "phoi hop",
	"khan truong", "chi dao", "trien khai", "to chuc", "dam bao",
	"bao dam", "lam tot", "ra soat", "doi moi", "phat huy", "cung co",
	"kien toan", "chuan bi", "de xuat", "duy tri", "co chuong trinh",
	"quan ly", "dau tranh", "dinh ky", "nhan rong", "thuong xuyen", NULL };

/* Verbs that open a new directive after a comma ("thực hiện nghiêm túc
 * nhiệm vụ …, phối hợp chặt chẽ với …"). */
static const char *const clause_verbs[] = { "phoi hop", "day manh",
	"tang cuong", "tap trung", "duy tri", "doi moi", "ra soat", "kip thoi",
	"chu trong", "nang cao", "dam bao", "bao dam", "de xuat", "trien khai",
	"tich cuc", "khan truong", "quan tam", NULL };

/* Openers of a sentence that continues the directives before it: "Trong
 * đó,", "Đồng thời", "Bên cạnh đó,", "Trọng tâm là", "Về <topic>,".
 * Returns where the directive starts (tb when there is no opener). */
static size_t
skip_opener(const struct ctx *c, size_t tb, size_t te)
{
	const struct doc *d = &c->d;
	size_t q = tb, n;

	if ((n = tok_phrase(d, q, "trong do")) || (n = tok_phrase(d, q, "ben canh do")) ||
	    (n = tok_phrase(d, q, "ngoai ra")) || (n = tok_phrase(d, q, "dong thoi")) ||
	    (n = tok_phrase(d, q, "trong tam la")) || (n = tok_phrase(d, q, "cu the")))
		q += n;
	else if (tok_is(d, q, "ve")) {
		/* "Về nâng cao thu nhập cho người dân, cần …" */
		size_t k = q + 1;
		while (k < te && k - q < 15 && !is_punct(d, k, ","))
			k++;
		if (k < te && is_punct(d, k, ","))
			q = k;
	}
	while (q < te && (is_punct(d, q, ",") || is_punct(d, q, ":")))
		q++;
	return q;
}

/* Is the word at i a "cần"/"phải" of duty, or an imperative verb? */
static bool
directive_at(const struct ctx *c, size_t i)
{
	size_t n;

	return raw_is(c, i, "cần") || raw_is(c, i, "phải") ||
	    tok_phrases(&c->d, i, imperative_starts, &n) > 0;
}

enum stmt { ST_REC, ST_TASK };

static size_t party_then_verb(const struct ctx *c, size_t p, size_t te, size_t *pe);

/* Add one proposal per ';'-separated part of [cb, ce). */
static void
emit_parts(struct ctx *c, enum stmt kind, size_t sb, size_t se, size_t cb,
    size_t ce, json_t *from, json_t *to)
{
	const struct doc *d = &c->d;
	size_t b = cb;
	json_t *own = NULL;

	while (b < ce && (d->t[b].type == TK_PUNCT))
		b++;
	while (b < ce) {
		size_t e = b, due_i = 0, n;
		json_t *p;
		const char *due = NULL;
		/* "…; Bộ Chỉ huy BĐBP tỉnh chủ trì, phối hợp với …": a part that
		 * opens with a body of its own and a directive verb is that
		 * body's task */
		json_decref(own);
		own = NULL;
		if (b > cb && kind == ST_TASK && d->t[b].cap) {
			size_t pe, v = party_then_verb(c, b, ce, &pe);
			const char *bk;
			if (v > 0 && lex_body(d, b, &bk) > 0) {
				own = tok_text(c, b, pe);
				b = v;
			}
		}
		while (e < ce && !is_punct(d, e, ";")) {
			/* "4 nhiệm vụ trọng tâm: A; B": the items are the tasks */
			if (is_punct(d, e, ":") && kind == ST_TASK && (e > b + 3 ||
			    (e > b + 1 && (tok_range_has(d, b, e, "giai phap") ||
			    tok_range_has(d, b, e, "nhiem vu") || tok_range_has(d, b, e, "noi dung") ||
			    tok_range_has(d, b, e, "bien phap")))))
				break;
			/* a comma before a new verb splits a plain clause; not a
			 * list ("đổi mới nội dung, hình thức, …") nor a purpose
			 * ("đề xuất giải pháp để đổi mới, nâng cao …") */
			/* "rà soát hộ nghèo … và tăng cường tuyên truyền …": a
			 * clause joined by "và" that opens with a directive verb */
			if (tok_is(d, e, "va") && e >= b + 5 &&
			    tok_phrases(d, e + 1, clause_verbs, &n) > 0) {
				bool plain = true;
				for (size_t k = b; k < e && plain; k++)
					plain = !tok_is(d, k, "de") && !tok_is(d, k, "nham");
				if (plain)
					break;
			}
			if (is_punct(d, e, ",") && e >= b + 8 &&
			    tok_phrases(d, e + 1, clause_verbs, &n) > 0) {
				/* a clause, not an item of a list ("đổi mới nội dung,
				 * hình thức, nâng cao …"): six words at least since
				 * the last comma, and not a purpose ("để", "nhằm") */
				bool plain = true;
				size_t lc = b;
				for (size_t k = b; k < e; k++)
					if (is_punct(d, k, ","))
						lc = k + 1;
				for (size_t k = b; k < e && plain; k++)
					plain = !tok_is(d, k, "de") && !tok_is(d, k, "nham");
				if (plain && e >= lc + 6)
					break;
			}
			e++;
		}
		size_t ee = e;
		bool header = false;
		while (ee > b && d->t[ee - 1].type == TK_PUNCT)
			ee--;
		/* "thống nhất các nội dung hợp tác như:", "đề ra 3 giải pháp:",
		 * "thực hiện 5 nội dung gồm:": the head of the list, whose items
		 * are the tasks */
		if (kind == ST_TASK && is_punct(d, e, ":") && ee > b) {
			static const char *const heads[] = { "noi dung", "nhiem vu", "giai phap",
				"bien phap", "van de", "cong viec", NULL };
			header = tok_is(d, ee - 1, "gom") || tok_is(d, ee - 1, "nhu") ||
			    tok_is(d, ee - 1, "sau") || tok_is(d, ee - 1, "la");
			/* a short head only: "nghiên cứu kỹ tiềm năng … để thực
			 * hiện 4 nhiệm vụ trọng tâm:" is a directive of its own */
			for (size_t k = b; k < ee && !header && ee - b <= 6; k++)
				header = tok_phrases(d, k, heads, NULL) > 0;
		}
		if (ee - b >= 3 && !header) {
			p = prop_new(c, kind == ST_REC ? PKIND_RECOMMENDATION : PKIND_TASK, sb, se,
			    kind == ST_REC ? 0.75 : 0.7);
			prop_span(c, p, sb, se);
			if (kind == ST_REC) {
				json_object_set(p, "from", from ? from : json_null());
				json_object_set(p, "to", to ? to : json_null());
			} else {
				json_object_set(p, "assignee", own ? own : to ? to : json_null());
				json_object_set(p, "assigner", from ? from : json_null());
			}
			json_object_set_new(p, PK_CONTENT, tok_text(c, b, ee));
			if (kind == ST_TASK) {
				/* "đến năm 2025", "trước ngày 30/6/2024", "trong quý IV/2024" */
				for (size_t k = b; k < ee; k++) {
					const struct found_date *fd = date_at(c, k);
					if (fd != NULL && k > b && (tok_is(d, k - 1, "den") ||
					    tok_is(d, k - 1, "truoc") || tok_is(d, k - 1, "trong") ||
					    tok_is(d, k - 1, "het") || tok_is(d, k - 1, "nay"))) {
						due = fd->end[0] ? fd->end : fd->start;
						due_i = k;
						break;
					}
					if (fd != NULL && tok_is(d, k, "nam") == false &&
					    (tok_is(d, k, "truoc") || tok_is(d, k, "den"))) {
						due = fd->end[0] ? fd->end : fd->start;
						due_i = k;
						break;
					}
				}
				(void)due_i;
				json_object_set_new(p, "due", due ? json_string(due) : json_null());
			}
			{
				const char *ev = event_for(c, sb);
				json_object_set_new(p, "event", ev ? json_string(ev) : json_null());
			}
		}
		b = e + 1;
		/* "; đồng thời rà soát …" */
		if (b + 1 < ce && tok_phrase(d, b, "dong thoi") == 2)
			b += 2;
	}
	json_decref(own);
}

/* A list marker opening sentence [tb, te): "1.", "2)", "a)", "-", "+",
 * "•".  Returns where the item starts (tb when there is none). */
static size_t
list_marker(const struct ctx *c, size_t tb, size_t te)
{
	const struct doc *d = &c->d;

	if (tb + 1 >= te)
		return tb;
	if ((d->t[tb].type == TK_NUM && d->t[tb].e - d->t[tb].b <= 2) ||
	    (d->t[tb].type == TK_WORD && strlen(d->t[tb].f) == 1 && !d->t[tb].cap) ||
	    (d->t[tb].type == TK_WORD && tok_is(d, tb, "d") && d->t[tb].e - d->t[tb].b == 2)) {
		if ((is_punct(d, tb + 1, ".") || is_punct(d, tb + 1, ")")) &&
		    !d->t[tb + 1].sp)
			return tb + 2;
		return tb;
	}
	if (is_punct(d, tb, "-") || is_punct(d, tb, "+") || is_punct(d, tb, "\xe2\x80\xa2"))
		return tb + 1;
	return tb;
}

/* "Công an các xã, phường trong cụm | chủ trì, …", "Đồn Biên phòng X và
 * các đồn trên địa bàn | duy trì …": a party, a short place phrase, then
 * a directive verb (not a past "đã"): the verb's token, or 0. */
static size_t
party_then_verb(const struct ctx *c, size_t p, size_t te, size_t *pe)
{
	const struct doc *d = &c->d;
	size_t ae = party_after(c, p, te), v;

	*pe = ae;
	if (ae <= p || !party_ok(c, p, ae))
		return 0;
	v = ae;
	if (v < te && (tok_is(d, v, "tren") || tok_is(d, v, "trong") ||
	    tok_is(d, v, "thuoc") || tok_is(d, v, "tai"))) {
		size_t k = v + 1;
		while (k < te && k < v + 5 && d->t[k].type == TK_WORD && lex_verb(d, k) == 0)
			k++;
		v = k;
	}
	if (v < te && (lex_verb(d, v) > 0 || raw_is(c, v, "cần") || raw_is(c, v, "phải")))
		return v;
	return 0;
}

/* Is sentence s an item of a list whose header ends with ':' (the items
 * before it, back to the header, are items too)? */
static bool
in_colon_list(const struct ctx *c, size_t s)
{
	const struct doc *d = &c->d;

	for (size_t back = 0; s > 0 && back < 16; back++, s--) {
		size_t tb = d->s[s - 1].tb, te = d->s[s - 1].te;
		if (te > tb && is_punct(d, te - 1, ":"))
			return true;
		/* a heading: "III. PHƯƠNG HƯỚNG, NHIỆM VỤ …", "2. Nhiệm vụ quý
		 * IV/2025", "Giải pháp" */
		if (te - tb < 14 && (tok_range_has(d, tb, te, "nhiem vu") ||
		    tok_range_has(d, tb, te, "phuong huong") ||
		    tok_range_has(d, tb, te, "giai phap") ||
		    tok_range_has(d, tb, te, "ket luan") ||
		    tok_range_has(d, tb, te, "de xuat")))
			return true;
		if (list_marker(c, tb, te) == tb)
			return false;
	}
	return false;
}

/* "Theo nội dung ký kết, …", "Theo kế hoạch, …", "Theo thỏa thuận, …":
 * a sentence that states what an agreement or a plan provides (before
 * token v). */
static bool
agreement_opener(const struct ctx *c, size_t tb, size_t v)
{
	const struct doc *d = &c->d;
	const char *kind;

	if (!tok_is(d, tb, "theo"))
		return false;
	for (size_t k = tb + 1; k < v && k < tb + 8; k++) {
		if (is_punct(d, k, ","))
			return true;
		if (!(tok_phrase(d, k, "noi dung") || tok_phrase(d, k, "ky ket") ||
		    lex_doc_kind(d, k, &kind) > 0 || d->t[k].type == TK_WORD))
			return false;
	}
	return false;
}

/* An agreement (a legal reference of a kind two parties make) named in
 * sentence s or the one before it, or NULL. */
static json_t *
agreement_near(const struct ctx *c, size_t s)
{
	const struct doc *d = &c->d;
	size_t from = d->t[d->s[s > 0 ? s - 1 : 0].tb].b, to = d->t[d->s[s].te - 1].e, i;
	json_t *p;
	static const char *const kinds[] = { "Quy chế", "Chương trình", "Kế hoạch",
		"Thỏa thuận", "Biên bản", "Biên bản ghi nhớ", "Hiệp định", "Bản ghi nhớ",
		NULL };

	json_array_foreach(c->props, i, p) {
		json_int_t b = json_integer_value(json_array_get(json_object_get(p, "span"), 0));
		const char *k = json_string_value(json_object_get(p, "doc_kind"));
		if (k == NULL || strcmp(json_string_value(json_object_get(p, PK_KIND)), "legal_ref") != 0 ||
		    b < (json_int_t)from || b >= (json_int_t)to)
			continue;
		if (in_list(k, kinds))
			return p;
	}
	return NULL;
}

/* "thống nhất", "nhất trí", "cam kết": what the parties agree to do;
 * its length in words at i (2), or 0. */
static size_t
agree_verb(const struct doc *d, size_t i)
{
	if (tok_phrase(d, i, "thong nhat") == 2 || tok_phrase(d, i, "nhat tri") == 2 ||
	    tok_phrase(d, i, "cam ket") == 2)
		return 2;
	return 0;
}

/* A colon within max tokens from i, before the sentence's end te: a list
 * follows ("thống nhất các nội dung như: …", "đề ra 3 giải pháp: …"). */
static bool
colon_within(const struct doc *d, size_t i, size_t te, size_t max)
{
	for (size_t k = i; k < te && k < i + max; k++) {
		if (is_punct(d, k, ":"))
			return true;
		if (is_punct(d, k, ";") || is_punct(d, k, "."))
			return false;
	}
	return false;
}

/* Who "đề nghị" asks [ab, ae) is below the one asking - the units, the
 * communes, the posts, both sides - so the request is a directive; those
 * above (the central level, the Government, a ministry, "cấp trên") are
 * asked by a recommendation. */
static bool
asked_below(const struct ctx *c, size_t ab, size_t ae)
{
	const struct doc *d = &c->d;
	static const char *const above[] = { "trung uong", "chinh phu", "cap tren",
		"quoc hoi", "thu tuong", "lanh dao", "bo", "tinh", "ubnd tinh",
		"uy ban nhan dan tinh", "tinh uy", NULL };
	static const char *const below[] = { "cac don vi", "cac xa", "cac don",
		"cac dia phuong", "cac thon", "cac ban", "cac phong", "cac co quan",
		"hai ben", "cap uy", "chinh quyen xa", "cac cap uy", NULL };

	if (ae <= ab)
		return false;
	for (size_t k = ab; k < ae; k++)
		if (tok_phrases(d, k, above, NULL) > 0 && !(k > ab && tok_is(d, k - 1, "cac") &&
		    tok_is(d, k, "ban")))
			return false;
	return tok_phrases(d, ab, below, NULL) > 0;
}

void
rule_statements(struct ctx *c)
{
	const struct doc *d = &c->d;
	json_t *last_from = NULL, *last_to = NULL;
	enum stmt last_kind = ST_REC;
	size_t last_sent = (size_t)-1;

	for (size_t s = 0; s < d->ns; s++) {
		size_t tb = d->s[s].tb, te = d->s[s].te;
		size_t verbs[16], nv = 0;
		enum stmt kinds[16];
		size_t vlen[16];
		bool modal[16] = { false };
		bool agreed[16] = { false };

		/* an item of a list of tasks ("1. Phòng Nội vụ huyện chủ trì,
		 * …", "a) Công an các xã … chủ trì …"), or a sentence that
		 * names who continues the directives before it ("Đồn Biên
		 * phòng X … duy trì tuần tra …"): the party opening it is the
		 * assignee */
		{
			size_t ib = list_marker(c, tb, te), pe, v;
			bool item = ib > tb && in_colon_list(c, s);
			/* a person who speaks next is not a party asked */
			bool cont = ib == tb && last_sent + 1 == s &&
			    (last_from != NULL || last_to != NULL) &&
			    !tok_range_has(d, tb, te, "da") && d->t[tb].cap &&
			    !(c->mark[tb] & MK_PERSON) && !tok_is(d, tb, "ong") &&
			    !tok_is(d, tb, "ba") && !tok_phrase(d, tb, "dong chi");
			/* "Bên cạnh đó, các cấp chính quyền tăng cường …" */
			if (cont)
				ib = skip_opener(c, tb, te);
			if ((item || cont) && (v = party_then_verb(c, ib, te, &pe)) > 0) {
				json_t *to = tok_text(c, ib, pe);
				json_t *from = last_from != NULL ? json_incref(last_from) :
				    json_null();
				if (raw_is(c, v, "cần") || raw_is(c, v, "phải"))
					v++;
				emit_parts(c, ST_TASK, tb, te, v, te, from, to);
				json_decref(last_from);
				json_decref(last_to);
				last_from = from;
				last_to = to;
				last_kind = ST_TASK;
				last_sent = s;
				continue;
			}
		}

		/* "Trong đó có nội dung định kỳ hằng quý tổ chức giao ban …":
		 * what an agreement named here or just before binds its parties
		 * to */
		{
			size_t cs = skip_opener(c, tb, te), nd;
			json_t *agr;
			if (tok_is(d, cs, "co"))
				cs++;
			nd = tok_phrase(d, cs, "noi dung");
			if (nd == 2 && cs + 2 < te && directive_at(c, cs + 2) &&
			    (agr = agreement_near(c, s)) != NULL) {
				json_t *from = json_incref(json_object_get(agr, PK_TEXT));
				emit_parts(c, ST_TASK, tb, te, cs + 2, te, from, NULL);
				json_decref(last_from);
				json_decref(last_to);
				last_from = from;
				last_to = NULL;
				last_kind = ST_TASK;
				last_sent = s;
				continue;
			}
		}

		for (size_t i = tb; i < te && nv < 16; i++) {
			size_t n = 0;
			enum stmt k = ST_TASK;
			if ((n = tok_phrase(d, i, "kien nghi")) > 0)
				k = ST_REC;
			else if ((n = tok_phrase(d, i, "de nghi")) > 0)
				k = ST_REC; /* decided below */
			else if ((n = tok_phrase(d, i, "yeu cau")) > 0)
				k = ST_TASK;
			else if ((n = tok_phrase(d, i, "de xuat")) > 0) {
				/* "Ông X đề xuất hai bên tăng cường …": asked of a
				 * party, decided below like "đề nghị" */
				size_t ae = party_after(c, i + 2, te);
				k = ST_REC;
				if (!(ae > i + 2 && party_ok(c, i + 2, ae)))
					n = 0;
			}
			else if ((n = tok_phrase(d, i, "giao")) > 0) {
				/* the verb, not "Bộ Ngoại giao", "giao lưu"; "được
				 * giao" says what someone has been given */
				if (!lex_giao_verb(d, i) || (i > tb && tok_is(d, i - 1, "duoc")))
					n = 0;
			} else if ((n = tok_phrase(d, i, "phan dau")) > 0) {
				/* "…, phấn đấu hoàn thành trước …" inside a directive
				 * is its deadline, not a new one */
				bool inside = nv > 0;
				for (size_t q = nv > 0 ? verbs[nv - 1] : i; q < i && inside; q++)
					inside = !is_punct(d, q, ";");
				if (inside)
					n = 0;
				k = ST_TASK;
			}
			else if (nv == 0 && (n = tok_phrase(d, i, "bao cao")) > 0) {
				/* "báo cáo lãnh đạo 2 tỉnh … xem xét nâng cấp …": a
				 * request to those above */
				size_t ae = party_after(c, i + 2, te);
				k = ST_REC;
				if (!(ae > i + 2 && party_ok(c, i + 2, ae) && ae < te &&
				    lex_verb(d, ae) > 0) || (i > tb && (tok_is(d, i - 1, "cac") ||
				    tok_is(d, i - 1, "nhung"))))
					n = 0;
			} else if ((agree_verb(d, i) == 2 && !(i > tb &&
			    tok_is(d, i - 1, "da") && !colon_within(d, i + 2, te, 12)) &&
			    i + 2 < te && (lex_verb(d, i + 2) > 0 ||
			    directive_at(c, i + 2) || tok_phrase(d, i + 2, "cung nhau") == 2 ||
			    colon_within(d, i + 2, te, 12))) ||
			    (raw_is(c, i, "sẽ") && (tok_range_has(d, tb, te, "thoi gian toi") ||
			    tok_range_has(d, tb, te, "sap toi") || tok_range_has(d, tb, te, "nam toi") ||
			    tok_range_has(d, tb, te, "toi day") || agreement_opener(c, tb, i)))) {
				/* "hai bên thống nhất phối hợp …" (what both agree to
				 * do), "tỉnh sẽ nhân rộng mô hình này … trong thời gian
				 * tới" (a plan for the time ahead): tasks of the subject */
				size_t fe2, fb2 = party_before(c, i, tb, &fe2);
				n = 0;
				if (fb2 < fe2 && party_ok(c, fb2, fe2)) {
					n = agree_verb(d, i) == 2 ? 2 : 1;
					k = ST_TASK;
					modal[nv] = true;
					agreed[nv] = true;
				}
			} else if (tok_phrase(d, i, "de ra") == 2 && colon_within(d, i + 2, te, 8)) {
				/* "Đảng ủy xã đề ra 3 giải pháp: A; B; C": the items are
				 * the subject's tasks */
				size_t fe2, fb2 = party_before(c, i, tb, &fe2);
				n = 0;
				if (fb2 < fe2 && party_ok(c, fb2, fe2)) {
					n = 2;
					k = ST_TASK;
					modal[nv] = true;
					agreed[nv] = true;
				}
			} else if ((raw_is(c, i, "cần") || raw_is(c, i, "phải") ||
			    (tok_phrase(d, i, "tiep tuc") && (tok_range_has(d, tb, i, "thoi gian toi") ||
			    tok_range_has(d, tb, i, "sap toi") || tok_range_has(d, tb, i, "nam toi") ||
			    tok_range_has(d, tb, i, "thoi gian tiep theo")))) &&
			    !(i > tb && raw_is(c, i - 1, "cần"))) {
				/* "huyện cần …", "3 huyện … phải …": a duty of the
				 * subject, unless it only continues an addressee
				 * ("đề nghị huyện X cần …") */
				size_t fe2, fb2 = party_before(c, i, tb, &fe2);
				/* ("yêu cầu: Các xã biên giới phải …": the duty is what
				 * was asked, one directive) */
				bool asked = nv > 0 && is_punct(d, verbs[nv - 1] + vlen[nv - 1], ":");
				if (fb2 < fe2 && party_ok(c, fb2, fe2) && !asked && !(nv > 0 &&
				    party_after(c, verbs[nv - 1] + vlen[nv - 1], te) >= i)) {
					n = tok_phrase(d, i, "tiep tuc") ? 0 : 1;
					k = ST_TASK;
					modal[nv] = true;
					if (n == 0) {
						/* "các huyện tiếp tục …": the content keeps
						 * the verb */
						verbs[nv] = i;
						vlen[nv] = 0;
						kinds[nv] = k;
						nv++;
						i++;
						continue;
					}
				}
			}
			if (n == 0)
				continue;
			/* nouns: "các kiến nghị", "đề nghị của huyện" */
			if (i > tb && (tok_is(d, i - 1, "cac") || tok_is(d, i - 1, "nhung") ||
			    tok_is(d, i - 1, "mot") || tok_is(d, i - 1, "noi")))
				continue;
			if (tok_is(d, i + n, "cua") || is_punct(d, i + n, ",") ||
			    (tok_is(d, i + n, "de") && tok_is(d, i + n + 1, "xuat")))
				continue;
			verbs[nv] = i;
			vlen[nv] = n;
			kinds[nv] = k;
			nv++;
			i += n - 1;
		}
		{
			/* a list continued in the next sentence of the paragraph:
			 * "Đầu tư xây dựng đường tuần tra…", "Trong đó, cần …" */
			size_t cs = skip_opener(c, tb, te);
			if (last_sent + 1 == s && (nv == 0 || verbs[0] > cs + 3) &&
			    cs < te && directive_at(c, cs) &&
			    (last_from != NULL || last_to != NULL)) {
				emit_parts(c, last_kind, tb, te, cs, nv > 0 ? verbs[0] : te,
				    last_from, last_to);
				last_sent = s;
				if (nv == 0)
					continue;
			}
		}
		if (nv == 0)
			continue;
		for (size_t v = 0; v < nv; v++) {
			size_t vi = verbs[v], ab = vi + vlen[v], ae, fb, ce;
			json_t *from, *to;
			enum stmt k = kinds[v];
			bool person_from = false;

			size_t fe;
			fb = party_before(c, vi, v > 0 ? verbs[v - 1] + vlen[v - 1] : tb, &fe);
			ae = party_after(c, ab, te);
			ce = v + 1 < nv ? verbs[v + 1] : te;
			/* a following "đồng thời" belongs to the next statement */
			if (v + 1 < nv && ce >= 2 && tok_phrase(d, ce - 2, "dong thoi"))
				ce -= 2;
			if (ae > ce)
				ae = ce;
			for (size_t q = fb; q < fe; q++) {
				size_t n;
				if ((c->mark[q] & MK_PERSON) || lex_title_head(d, q, &n) ||
				    tok_phrase(d, q, "dong chi"))
					person_from = true;
			}
			if (fb < fe)
				from = tok_text(c, fb, fe);
			else if (last_from != NULL && last_sent + 1 >= s)
				from = json_incref(last_from);
			else
				from = json_null();
			/* nobody named before the verb: the person who spoke last,
			 * within the two sentences before */
			if (modal[v] || tok_phrase(d, vi, "phan dau")) {
				json_decref(from);
				from = json_null();
			}
			if (json_is_null(from) && !agreed[v]) {
				size_t lim = s >= 2 ? d->s[s - 2].tb : 0;
				for (size_t m = c->npm; m > 0; m--) {
					if (c->pm[m - 1].nb >= vi)
						continue;
					if (c->pm[m - 1].nb >= lim) {
						from = tok_text(c, c->pm[m - 1].nb, c->pm[m - 1].ne);
						person_from = true;
					}
					break;
				}
			}
			/* "đề nghị" by a leader in a conclusion is an instruction */
			if ((tok_phrase(d, vi, "de nghi") || tok_phrase(d, vi, "de xuat")) &&
			    (person_from ||
			    (fb == fe && last_kind == ST_TASK && last_sent + 1 >= s) ||
			    tok_range_has(d, tb, vi, "ket luan") ||
			    tok_phrase(d, ae, "tiep tuc") || tok_phrase(d, ae, "can") ||
			    asked_below(c, ab, ae)))
				k = ST_TASK;
			to = ae > ab ? tok_text(c, ab, ae) : json_null();
			/* "phấn đấu", "cần": the subject is the assignee */
			if (tok_phrase(d, vi, "phan dau") || modal[v]) {
				json_decref(to);
				to = fb < fe ? tok_text(c, fb, fe) : json_null();
				ae = ab;
			}
			if (ae < ce && tok_is(d, ae, "can") && !tok_is(d, ae + 1, "cu"))
				ae++;
			if (ae < ce && is_punct(d, ae, ":")) {
				size_t pe2, v2;
				ae++;
				/* "yêu cầu: Các xã biên giới phải …", "đề nghị: Sở
				 * Ngoại vụ chủ trì, …": the party after the colon is
				 * the one asked */
				if (json_is_null(to) && !modal[v] &&
				    (v2 = party_then_verb(c, ae, ce, &pe2)) > 0) {
					json_decref(to);
					to = tok_text(c, ae, pe2);
					ae = v2;
					if (raw_is(c, ae, "cần") || raw_is(c, ae, "phải"))
						ae++;
				}
			}
			emit_parts(c, k, tb, te, ae, ce, from, to);
			json_decref(last_from);
			json_decref(last_to);
			last_from = from;
			last_to = to;
			last_kind = k;
			last_sent = s;
		}
	}
	json_decref(last_from);
	json_decref(last_to);
}
