/*
 * ingest_lex.c - tokens and sentences of a text, the lexicons of the
 * language of Vietnamese administrative reports (titles, bodies, unit
 * types, document kinds, surnames), and the gazetteers read from the
 * database.  Every comparison is on folded text (text_fold: no diacritics,
 * lower case, đ -> d), so "Uỷ ban", "Ủy ban" and "UỶ BAN" are one word.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "ingest/ingest_int.h"
#include "ingest/ingest_keys.h"
#include "schema/record.h"
#include "store/store.h"
#include "text/text.h"

/* ---- tokens ---------------------------------------------------------------- */

static bool
is_letter_cat(utf8proc_category_t c)
{
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL ||
	    c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LM ||
	    c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_MN ||
	    c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static bool
is_space_cp(utf8proc_int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' ||
	    cp == '\v' || cp == 0xA0 || cp == 0x200B || cp == 0xFEFF ||
	    utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

static void
fold_span(const char *s, size_t n, char *out, size_t outlen)
{
	char tmp[160];
	char *f;

	out[0] = '\0';
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* a cut inside a code point would make it invalid: back off */
	while (n > 0 && !text_valid_utf8(tmp, n))
		tmp[--n] = '\0';
	f = text_fold(tmp);
	if (f == NULL)
		return;
	size_t m = strlen(f);
	if (m >= outlen)
		m = outlen - 1;
	memcpy(out, f, m);
	out[m] = '\0';
	free(f);
}

static int
add_tok(struct doc *d, size_t *cap, const struct tok *t, struct err *e)
{
	if (d->nt == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		struct tok *nt;
		if (nc > ING_TOKENS_MAX)
			return err_set(e, ERR_TOO_LARGE, "văn bản quá dài để phân tích");
		nt = realloc(d->t, nc * sizeof *nt);
		if (nt == NULL)
			return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
		d->t = nt;
		*cap = nc;
	}
	d->t[d->nt++] = *t;
	return 0;
}

static int
tokenize(struct doc *d, struct err *e)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)d->text;
	size_t i = 0, cap = 0;
	bool sp = true;

	while (i < d->len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(d->len - i), &cp);
		struct tok t;

		if (n <= 0)
			return err_set(e, ERR_BAD_REQUEST, "văn bản không phải UTF-8 hợp lệ");
		if (cp == '\n') {
			memset(&t, 0, sizeof t);
			t.b = i;
			t.e = i + 1;
			t.type = TK_NL;
			t.sp = true;
			if (add_tok(d, &cap, &t, e) != 0)
				return -1;
			i++;
			sp = true;
			continue;
		}
		if (is_space_cp(cp)) {
			i += (size_t)n;
			sp = true;
			continue;
		}
		memset(&t, 0, sizeof t);
		t.b = i;
		t.sp = sp;
		sp = false;
		if (cp >= '0' && cp <= '9') {
			t.type = TK_NUM;
			while (i < d->len && s[i] >= '0' && s[i] <= '9')
				i++;
		} else if (is_letter_cat(utf8proc_category(cp))) {
			bool upper = true, first = true;
			t.type = TK_WORD;
			while (i < d->len) {
				utf8proc_int32_t c2;
				utf8proc_ssize_t m = utf8proc_iterate(s + i,
				    (utf8proc_ssize_t)(d->len - i), &c2);
				utf8proc_category_t cat;
				if (m <= 0)
					break;
				cat = utf8proc_category(c2);
				if (!is_letter_cat(cat))
					break;
				if (first)
					t.cap = cat == UTF8PROC_CATEGORY_LU ||
					    cat == UTF8PROC_CATEGORY_LT;
				if (cat == UTF8PROC_CATEGORY_LL)
					upper = false;
				first = false;
				i += (size_t)m;
			}
			t.upper = upper;
		} else {
			t.type = TK_PUNCT;
			i += (size_t)n;
		}
		t.e = i;
		fold_span(d->text + t.b, t.e - t.b, t.f, sizeof t.f);
		if (add_tok(d, &cap, &t, e) != 0)
			return -1;
	}
	return 0;
}

/* Abbreviations written with a full stop that does not end a sentence. */
static const char *const abbrev_dot[] = { "tt", "tp", "tx", "ths", "ts",
	"pgs", "gs", "bs", "ks", "th", "st", "p", "q", NULL };

static bool
ends_sentence(const struct doc *d, size_t i)
{
	const struct tok *t = &d->t[i];

	if (t->type != TK_PUNCT)
		return false;
	if (strcmp(t->f, "!") == 0 || strcmp(t->f, "?") == 0)
		return true;
	if (strcmp(t->f, ".") != 0 && strcmp(t->f, "...") != 0 &&
	    strcmp(t->f, "\xe2\x80\xa6") != 0)
		return false;
	/* "23.000", "5.12", "QĐ.": a dot inside a number or a code */
	if (i + 1 < d->nt && !d->t[i + 1].sp && d->t[i + 1].type != TK_NL &&
	    d->t[i + 1].type != TK_PUNCT)
		return false;
	if (i > 0 && d->t[i - 1].type == TK_WORD) {
		for (size_t k = 0; abbrev_dot[k] != NULL; k++)
			if (strcmp(d->t[i - 1].f, abbrev_dot[k]) == 0 &&
			    strlen(d->t[i - 1].f) <= 3 && d->t[i - 1].cap)
				return false;
	}
	/* "1. Phòng Nội vụ …", "II. KẾT QUẢ", "a. …": a list marker at the
	 * start of a line */
	if (i > 0 && (i == 1 || d->t[i - 2].type == TK_NL) &&
	    ((d->t[i - 1].type == TK_NUM && d->t[i - 1].e - d->t[i - 1].b <= 2) ||
	    (d->t[i - 1].type == TK_WORD && (d->t[i - 1].e - d->t[i - 1].b == 1 ||
	    strspn(d->t[i - 1].f, "ivx") == strlen(d->t[i - 1].f)))))
		return false;
	/* the next token must open a sentence: upper case, a digit, a quote */
	if (i + 1 < d->nt) {
		const struct tok *n = &d->t[i + 1];
		if (n->type == TK_WORD && !n->cap)
			return false;
	}
	return true;
}

static int
split_sentences(struct doc *d, struct err *e)
{
	size_t cap = 64, start = 0;

	d->s = malloc(cap * sizeof *d->s);
	d->sent_of = calloc(d->nt + 1, sizeof *d->sent_of);
	if (d->s == NULL || d->sent_of == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	for (size_t i = 0; i <= d->nt; i++) {
		bool cut = i == d->nt || d->t[i].type == TK_NL;
		size_t end = i;
		if (!cut && ends_sentence(d, i)) {
			/* keep "./." and closing quotes with the sentence */
			while (i + 1 < d->nt && d->t[i + 1].type == TK_PUNCT &&
			    !d->t[i + 1].sp && strcmp(d->t[i + 1].f, "(") != 0)
				i++;
			end = i + 1;
			cut = true;
		}
		if (!cut)
			continue;
		if (end > start) {
			if (d->ns == cap) {
				struct sent *ns = realloc(d->s, cap * 2 * sizeof *ns);
				if (ns == NULL)
					return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
				d->s = ns;
				cap *= 2;
			}
			d->s[d->ns].tb = start;
			d->s[d->ns].te = end;
			for (size_t k = start; k < end; k++)
				d->sent_of[k] = d->ns;
			d->ns++;
		}
		if (end < d->nt)
			d->sent_of[end] = d->ns; /* a line break: next sentence */
		start = i + 1;
		if (end == i + 1)
			start = end;
	}
	return 0;
}

int
doc_build(struct doc *d, const char *text, size_t len, struct err *e)
{
	struct buf b;

	memset(d, 0, sizeof *d);
	d->text = text;
	d->len = len;
	if (tokenize(d, e) != 0 || split_sentences(d, e) != 0)
		return -1;
	d->fold_tok = calloc(d->nt + 1, sizeof *d->fold_tok);
	if (d->fold_tok == NULL)
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	buf_init(&b, (size_t)ING_TOKENS_MAX * (ING_FOLD_MAX + 1));
	buf_addc(&b, ' ');
	for (size_t i = 0; i < d->nt; i++) {
		d->fold_tok[i] = b.len;
		buf_adds(&b, d->t[i].type == TK_NL ? "\n" : d->t[i].f);
		buf_addc(&b, ' ');
	}
	d->fold_tok[d->nt] = b.len;
	if (buf_failed(&b)) {
		buf_free(&b);
		return err_set(e, ERR_INTERNAL, "hết bộ nhớ");
	}
	d->folded = buf_take(&b);
	return 0;
}

void
doc_free(struct doc *d)
{
	free(d->t);
	free(d->s);
	free(d->sent_of);
	free(d->folded);
	free(d->fold_tok);
	memset(d, 0, sizeof *d);
}

/* ---- phrase matching -------------------------------------------------------- */

size_t
tok_phrase(const struct doc *d, size_t i, const char *phrase)
{
	const char *p = phrase;
	size_t n = 0;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);
		if (i + n >= d->nt || d->t[i + n].type == TK_NL ||
		    strlen(d->t[i + n].f) != wl || strncmp(d->t[i + n].f, p, wl) != 0)
			return 0;
		n++;
		p += wl;
		while (*p == ' ')
			p++;
	}
	return n;
}

size_t
tok_phrases(const struct doc *d, size_t i, const char *const *list, size_t *which)
{
	size_t best = 0;

	for (size_t k = 0; list[k] != NULL; k++) {
		size_t n = tok_phrase(d, i, list[k]);
		if (n > best) {
			best = n;
			if (which)
				*which = k;
		}
	}
	return best;
}

bool
tok_is(const struct doc *d, size_t i, const char *folded)
{
	return i < d->nt && d->t[i].type != TK_NL && strcmp(d->t[i].f, folded) == 0;
}

bool
tok_key(const struct doc *d, size_t b, size_t e, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return false;
	buf[0] = '\0';
	for (size_t i = b; i < e && i < d->nt; i++) {
		size_t fl = strlen(d->t[i].f);
		if (n + fl + 2 > len)
			return false;
		if (n > 0)
			buf[n++] = ' ';
		memcpy(buf + n, d->t[i].f, fl);
		n += fl;
		buf[n] = '\0';
	}
	return true;
}

bool
tok_range_has(const struct doc *d, size_t b, size_t e, const char *key)
{
	char pat[ING_PHRASE_MAX];
	const char *s, *end, *p;
	size_t kl = strlen(key);

	if (b >= e || e > d->nt || kl + 3 > sizeof pat)
		return false;
	pat[0] = ' ';
	memcpy(pat + 1, key, kl);
	pat[kl + 1] = ' ';
	pat[kl + 2] = '\0';
	s = d->folded + d->fold_tok[b] - 1;
	end = d->folded + d->fold_tok[e];
	/* the first occurrence from the range start decides */
	p = strstr(s, pat);
	return p != NULL && p + kl + 2 <= end;
}

bool
tok_raw(const struct doc *d, size_t i, const char *word)
{
	const utf8proc_uint8_t *a, *b = (const utf8proc_uint8_t *)word;
	utf8proc_ssize_t na, nb = (utf8proc_ssize_t)strlen(word), pa = 0, pb = 0;

	if (i >= d->nt || d->t[i].type != TK_WORD)
		return false;
	a = (const utf8proc_uint8_t *)d->text + d->t[i].b;
	na = (utf8proc_ssize_t)(d->t[i].e - d->t[i].b);
	while (pa < na && pb < nb) {
		utf8proc_int32_t ca, cb;
		utf8proc_ssize_t ma = utf8proc_iterate(a + pa, na - pa, &ca);
		utf8proc_ssize_t mb = utf8proc_iterate(b + pb, nb - pb, &cb);
		if (ma <= 0 || mb <= 0 || utf8proc_tolower(ca) != utf8proc_tolower(cb))
			return false;
		pa += ma;
		pb += mb;
	}
	return pa == na && pb == nb;
}

bool
tok_raw_phrase(const struct doc *d, size_t i, const char *phrase)
{
	char w[64];
	const char *p = phrase;
	size_t n = 0;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);
		if (wl >= sizeof w)
			return false;
		memcpy(w, p, wl);
		w[wl] = '\0';
		if (!tok_raw(d, i + n, w))
			return false;
		n++;
		p += wl;
		while (*p == ' ')
			p++;
	}
	return n > 0;
}

void
lex_squash(const char *folded, char *out, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	for (const char *p = folded; *p && n + 1 < len; p++) {
		char ch = *p;
		/* only letters and digits: spaces, hyphens and apostrophes
		 * ("Ch'Ơm", "Sê-Kông", "Đa Krông") are spelling, not name */
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			continue;
		if (ch == 'y')
			ch = 'i';          /* "Ga Ry" / "Ga Ri"           */
		else if (ch == 'x')
			ch = 's';          /* "Xà Phìn" / "Sà Phìn"       */
		if (n > 0 && out[n - 1] == ch && !(ch >= '0' && ch <= '9'))
			continue;          /* "Bha Lêê" / "Bha Lê"        */
		out[n++] = ch;
	}
	out[n] = '\0';
}

/* ---- lexicons -------------------------------------------------------------- */

static bool
is_comma(const struct doc *d, size_t i)
{
	return i < d->nt && d->t[i].type == TK_PUNCT && strcmp(d->t[i].f, ",") == 0;
}

static const char *const surnames[] = {
	"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo",
	"dang", "bui", "do", "ho", "ngo", "duong", "ly", "ha", "nong", "cam",
	"lo", "vi", "luc", "sung", "giang", "thao", "mua", "hau", "vang", "lu",
	"trang", "dinh", "doan", "lam", "luong", "mai", "trinh", "truong",
	"cao", "chu", "dao", "dau", "kieu", "khuat", "la", "lai", "lieu",
	"luu", "mac", "nghiem", "ong", "quach", "ta", "than", "thai", "thach",
	"tieu", "to", "ton", "tong", "trieu", "van", "vuong", "y", "khong",
	"hua", "ma", "quan", "sam", "chau", "diep", "dong", "hau", "khuc",
	"linh", "loc", "lanh", "ninh", "phung", "tao", "tang", "ung", "pham",
	"bach", "banh", "be", "can", "chieu", "co", "cu", "dam", "dieu",
	"hoa", "kha", "kim", "le", "long", "lung", "me", "mong", "nham",
	"on", "phi", "sen", "tham", "thieu", "tu", "vien", "xa", NULL };

bool
lex_surname(const char *folded)
{
	/* "Ma" and "Mã" (a surname, but also the first syllable of many place
	 * names: Si Ma Cai, Mã Quan) are left to the context rules */
	if (strcmp(folded, "ma") == 0)
		return false;
	for (size_t i = 0; surnames[i] != NULL; i++)
		if (strcmp(surnames[i], folded) == 0)
			return true;
	return false;
}

/* Words that open a title (chức vụ), folded; longest match wins. */
static const char *const title_heads[] = {
	"bi thu", "pho bi thu", "chu tich", "pho chu tich", "uy vien",
	"truong ban", "pho truong ban", "truong doan", "pho truong doan",
	"giam doc", "pho giam doc", "chu nhiem", "pho chu nhiem", "chinh uy",
	"pho chinh uy", "chi huy truong", "pho chi huy truong", "don truong",
	"pho don truong", "chinh tri vien", "truong cong an",
	"pho truong cong an", "tu lenh", "pho tu lenh", "thu truong",
	"bo truong", "thu tuong", "pho thu tuong", "chanh van phong",
	"pho chanh van phong", "truong phong", "pho truong phong",
	"dai bieu quoc hoi", "tong bi thu", "chanh an", "vien truong",
	"cuc truong", "pho cuc truong", "tham muu truong", "dai ta",
	"thuong ta", "trung ta", "thieu ta", "dai uy", "thuong uy",
	"trung uy", "thieu uy", "thieu tuong", "trung tuong", "dai tuong",
	"truong", "pho truong", "thuong truc", "chu tich ubnd",
	"chu tich hdnd", "chu tich uy ban", "truong thon", "truong ban cong tac mat tran",
	"bi thu chi bo", "can bo", "tro ly", "phat ngon vien", "huyen truong",
	"huong truong", "tran truong", "chu tich huyen", "chu tich xa",
	"chu tich tinh", "tinh truong", "pho tinh truong", "pho huyen truong",
	"chu tich mat tran", "dai doi truong", "pho dai doi truong",
	"tieu doan truong", "trung doan truong", "trung doi truong", "doi truong",
	"pho doi truong", "to truong", "tram truong", "chinh tri vien pho",
	"tong cuc truong", "pho tong cuc truong", "chanh thanh tra",
	"pho chanh thanh tra", "bi thu khu uy", "khu truong", "pho khu truong",
	"chau truong", "pho chau truong", "thi truong", "pho thi truong",
	"truong ty", "pho truong ty", "chu nhiem van phong", "pct", "pbt",
	"tuv", "huv", "uvbtv", "tong tu lenh", "pho tong tu lenh", "tong tham muu truong",
	"pho tong tham muu truong", "truong don", "pho truong don", "tram truong",
	NULL };

bool
lex_title_head(const struct doc *d, size_t i, size_t *n)
{
	size_t m = tok_phrases(d, i, title_heads, NULL);

	if (m == 0)
		return false;
	/* "trưởng" (head) is not "trường" (school, market: "thị trường"),
	 * which folds alike */
	for (size_t k = i; k < i + m; k++)
		if (tok_is(d, k, "truong") && !tok_raw(d, k, "trưởng"))
			return false;
	/* abbreviations ("PCT", "TUV") only in capitals */
	if (m == 1 && (tok_is(d, i, "pct") || tok_is(d, i, "pbt") || tok_is(d, i, "tuv") ||
	    tok_is(d, i, "huv") || tok_is(d, i, "uvbtv")) && !d->t[i].upper)
		return false;
	/* bare "Trưởng"/"Phó trưởng" only with the body it heads */
	if ((tok_is(d, i, "truong") && m == 1) ||
	    (tok_is(d, i, "pho") && m == 2 && tok_is(d, i + 1, "truong"))) {
		const char *k;
		if (lex_body(d, i + m, &k) == 0 && !tok_is(d, i + m, "ban") &&
		    !tok_is(d, i + m, "phong") && !tok_is(d, i + m, "doan"))
			return false;
	}
	/* "thường trực" opens a title only as "Thường trực <body>" */
	if (tok_is(d, i, "thuong") && m == 2) {
		const char *k;
		if (lex_body(d, i + 2, &k) == 0)
			return false;
	}
	if (n)
		*n = m;
	return true;
}

/* Unit type words: folded, as written (the diacritics tell "huyện" from
 * "huyền", "xã" from "xa", "quận" from "quan sát", "bản" from "ban",
 * "bạn" and "bàn"; NULL for an abbreviation) and the levels. */
static const struct { const char *f, *raw; unsigned levels; } unit_types[] = {
	{ "tinh", "tỉnh", 1u << 1 }, { "thanh pho", "thành phố", (1u << 1) | (1u << 2) },
	{ "tp", NULL, (1u << 1) | (1u << 2) }, { "tp .", NULL, (1u << 1) | (1u << 2) },
	{ "huyen", "huyện", 1u << 2 }, { "thi xa", "thị xã", 1u << 2 },
	{ "tx", NULL, 1u << 2 }, { "tx .", NULL, 1u << 2 },
	{ "quan", "quận", 1u << 2 }, { "xa", "xã", 1u << 3 },
	{ "phuong", "phường", 1u << 3 }, { "thi tran", "thị trấn", 1u << 3 },
	{ "tt", NULL, 1u << 3 }, { "tt .", NULL, 1u << 3 },
	{ "thon", "thôn", 1u << 4 }, { "ban", "bản", 1u << 4 }, { "xom", "xóm", 1u << 4 },
	{ "to dan pho", "tổ dân phố", 1u << 4 }, { "lang", "làng", 1u << 4 },
	{ "ap", "ấp", 1u << 4 }, { "khom", "khóm", 1u << 4 }, { "buon", "buôn", 1u << 4 },
	{ "soc", "sóc", 1u << 4 }, { "plei", NULL, 1u << 4 }, { "khu pho", "khu phố", 1u << 4 },
	{ "khu", "khu", 1u << 4 },
};

size_t
lex_unit_type(const struct doc *d, size_t i, unsigned *levels)
{
	size_t best = 0, bk = 0;

	for (size_t k = 0; k < sizeof unit_types / sizeof unit_types[0]; k++) {
		size_t n = tok_phrase(d, i, unit_types[k].f);
		if (n > best && (unit_types[k].raw == NULL ||
		    tok_raw_phrase(d, i, unit_types[k].raw))) {
			best = n;
			bk = k;
			*levels = unit_types[k].levels;
		}
	}
	if (best == 0)
		return 0;
	/* "TP", "TX", "TT" upper case, or "Tp." with its full stop */
	if (unit_types[bk].raw == NULL && strcmp(unit_types[bk].f, "plei") != 0) {
		if (best == 1 && !d->t[i].upper)
			return 0;
		if (best == 2 && (!d->t[i].cap || d->t[i + 1].sp))
			return 0;
	}
	/* "bản" (a village) is also the document word ("bản quy chế"):
	 * not in a body name, not after a title word */
	if (tok_is(d, i, "ban") && best == 1) {
		const char *kind;
		if (lex_body(d, i, &kind) > 0)
			return 0;
		if (i > 0 && (tok_is(d, i - 1, "truong") || tok_is(d, i - 1, "pho") ||
		    tok_is(d, i - 1, "vien") || tok_is(d, i - 1, "cac")))
			return 0;
	}
	/* "khu" is a village only before its name ("khu Tràng Vỹ"), not in
	 * "Khu kinh tế", "Khu tự trị" */
	if (tok_is(d, i, "khu") && best == 1 && (d->t[i].cap || i + 1 >= d->nt ||
	    !d->t[i + 1].cap))
		return 0;
	return best;
}

/* Bodies: folded phrase -> org_kind of docs/INGEST.md. */
static const struct { const char *f; const char *kind; } bodies[] = {
	{ "uy ban nhan dan", "people_committee" }, { "ubnd", "people_committee" },
	{ "hoi dong nhan dan", "council" }, { "hdnd", "council" },
	{ "thuong truc hdnd", "council" }, { "thuong truc hoi dong nhan dan", "council" },
	{ "tinh uy", "party_committee" }, { "huyen uy", "party_committee" },
	{ "thanh uy", "party_committee" }, { "thi uy", "party_committee" },
	{ "quan uy", "party_committee" }, { "dang uy", "party_committee" },
	{ "ban thuong vu tinh uy", "party_committee" },
	{ "ban thuong vu huyen uy", "party_committee" },
	{ "ban thuong vu thanh uy", "party_committee" },
	{ "ban thuong vu dang uy", "party_committee" },
	{ "ban thuong vu", "party_committee" },
	{ "thuong truc tinh uy", "party_committee" },
	{ "thuong truc huyen uy", "party_committee" },
	{ "thuong truc thanh uy", "party_committee" },
	{ "tt. huyen uy", "party_committee" }, { "tt . huyen uy", "party_committee" },
	{ "tt . tinh uy", "party_committee" },
	{ "ban chap hanh dang bo", "party_committee" },
	{ "ban chap hanh trung uong dang", "party_committee" },
	{ "ban chap hanh trung uong", "party_committee" },
	{ "bch dang bo", "party_committee" }, { "dang bo", "party_committee" },
	{ "ban noi chinh", "party_committee" }, { "ban to chuc", "party_committee" },
	{ "ban dan van", "party_committee" }, { "ban tuyen giao", "party_committee" },
	{ "uy ban kiem tra", "party_committee" },
	{ "ban kinh te", "party_committee" },
	{ "don bien phong", "border_post" }, { "don bp", "border_post" },
	{ "tram bien phong", "border_post" }, { "tram kiem soat bien phong", "border_post" },
	{ "tram kiem soat", "border_post" },
	{ "bo doi bien phong", "military" }, { "bdbp", "military" },
	{ "bo chi huy bo doi bien phong", "military" },
	{ "bo chi huy bdbp", "military" }, { "bo chbd bien phong", "military" },
	{ "bo chbdbp", "military" }, { "bo tu lenh bo doi bien phong", "military" },
	{ "bo chi huy quan su", "military" }, { "bo chqs", "military" },
	{ "ban chi huy quan su", "military" }, { "ban chqs", "military" },
	{ "bo quoc phong", "military" }, { "quan khu", "military" },
	{ "cong an", "police" }, { "bo cong an", "police" },
	{ "so", "department" }, { "ban dan toc", "department" },
	{ "phong", "department" }, { "thanh tra", "department" },
	{ "mat tran to quoc", "front" }, { "uy ban mat tran to quoc", "front" },
	{ "mttq", "front" }, { "uy ban mttq", "front" },
	{ "hoi nong dan", "other" }, { "hoi lien hiep phu nu", "other" },
	{ "hoi cuu chien binh", "other" }, { "doan thanh nien", "other" },
	{ "tinh doan", "other" }, { "huyen doan", "other" },
	{ "bo tu lenh", "military" }, { "ban chi huy", "military" }, { "trung doi", "military" },
	{ "ban phap che", "council" }, { "ban kinh te - ngan sach", "council" },
	{ "ban kinh te ngan sach", "council" }, { "ban van hoa - xa hoi", "council" },
	{ "ban van hoa xa hoi", "council" },
	{ "tieu khu quan su", "military" }, { "tieu doan", "military" },
	{ "dai doi", "military" }, { "hai doan", "military" }, { "hai doi", "military" },
	{ "lu doan", "military" }, { "su doan", "military" }, { "trung doan", "military" },
	{ "don cong an", "police" }, { "chi cuc hai quan", "department" },
	{ "cuc hai quan", "department" }, { "bo", "department" }, { "cuc", "department" },
	{ "ty", "department" }, { "van phong", "other" }, { "ban quan ly", "other" },
	{ "doan dbqh", "other" }, { "uy ban mat tran lao xay dung dat nuoc", "front" },
	{ "mat tran lao xay dung dat nuoc", "front" }, { "uy ban mat tran lao", "front" },
	{ "hoi huu nghi", "other" }, { "thanh doan", "other" },
	{ "chinh phu", "other" }, { "quoc hoi", "other" },
	{ "doan dai bieu quoc hoi", "other" }, { "ban chi dao", "other" },
	{ "thu tuong chinh phu", "other" }, { "uy ban thuong vu quoc hoi", "other" },
	/* the general staff, general departments, the other side's border
	 * forces ("Chi đội Quản lý biên giới …", "Trạm kiểm tra biên phòng
	 * xuất nhập cảnh …") */
	{ "bo tong tham muu", "military" }, { "tong cuc", "department" },
	{ "quan doi nhan dan", "military" },
	{ "chi doi", "military" }, { "tram kiem tra bien phong", "border_post" },
	{ "tram kiem tra", "border_post" },
};

size_t
lex_body(const struct doc *d, size_t i, const char **kind)
{
	size_t best = 0;

	for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
		size_t n = tok_phrase(d, i, bodies[k].f);
		if (n > best) {
			best = n;
			*kind = bodies[k].kind;
		}
	}
	if (best == 0 || i >= d->nt)
		return 0;
	/* "Sở" only as a capitalised head followed by a capitalised name;
	 * "sở" alone is "cơ sở", "trụ sở"... */
	if (best == 1 && tok_is(d, i, "so")) {
		if (!d->t[i].cap || i + 1 >= d->nt || !d->t[i + 1].cap)
			return 0;
		if (i > 0 && (tok_is(d, i - 1, "co") || tok_is(d, i - 1, "tru")))
			return 0;
	}
	/* "Bộ" (a ministry) only before a standard name ("Bộ Ngoại giao");
	 * "Cục" and "Ty" (a provincial department across the border: "Ty
	 * Cảnh sát", not "tỷ") only before a capitalised name */
	if (best == 1 && tok_is(d, i, "bo") &&
	    (!d->t[i].cap || lex_dept_name(d, i + 1) == 0))
		return 0;
	if (best == 1 && (tok_is(d, i, "cuc") || tok_is(d, i, "ty")) &&
	    (!d->t[i].cap || i + 1 >= d->nt || !d->t[i + 1].cap ||
	    (tok_is(d, i, "ty") && !tok_raw(d, i, "ty"))))
		return 0;
	/* "Tỉnh đoàn", not "tình đoàn kết" */
	if (best == 2 && tok_is(d, i + 1, "doan") && (tok_is(d, i, "tinh") ||
	    tok_is(d, i, "huyen") || tok_is(d, i, "thanh")) &&
	    !(tok_raw(d, i, "tỉnh") || tok_raw(d, i, "huyện") || tok_raw(d, i, "thành")))
		return 0;
	/* "Phòng" (a district office) only before a standard name: "phòng"
	 * is also "phòng chống", "quốc phòng", "Biên phòng" */
	if (best == 1 && tok_is(d, i, "phong") &&
	    (!d->t[i].cap || lex_dept_name(d, i + 1) == 0))
		return 0;
	/* "Thanh tra tỉnh", "Thanh tra huyện": the inspectorate */
	if (best == 2 && tok_is(d, i, "thanh") && tok_is(d, i + 1, "tra") &&
	    (!d->t[i].cap || !(tok_is(d, i + 2, "tinh") || tok_is(d, i + 2, "huyen") ||
	    tok_is(d, i + 2, "chinh"))))
		return 0;
	/* "Đảng bộ" and "Ban chỉ đạo" only capitalised */
	if ((tok_is(d, i, "dang") && tok_is(d, i + 1, "bo") && best == 2) ||
	    (tok_is(d, i, "ban") && tok_is(d, i + 1, "chi"))) {
		if (!d->t[i].cap)
			return 0;
	}
	/* "công an" is also "công an xã" the force: keep, but not "an" alone */
	return best;
}

/* The standard names of the departments of a province (Sở) and the
 * offices of a district (Phòng), with their usual abbreviations: several
 * hold a comma, a dash or "và", so a name cannot be read by case alone
 * ("Sở Văn hóa, Thể thao và Du lịch").  Folded, as tokens. */
static const char *const dept_names[] = {
	"nong nghiep va phat trien nong thon", "nong nghiep va moi truong",
	"lao dong - thuong binh va xa hoi", "lao dong , thuong binh va xa hoi",
	"lao dong thuong binh va xa hoi", "van hoa , the thao va du lich",
	"van hoa - the thao va du lich", "van hoa the thao va du lich",
	"van hoa va the thao", "van hoa , the thao", "van hoa va thong tin",
	"van hoa - thong tin", "van hoa , thong tin", "van hoa - xa hoi",
	"ke hoach va dau tu", "tai chinh - ke hoach", "tai chinh , ke hoach",
	"tai nguyen va moi truong", "thong tin va truyen thong",
	"giao thong van tai", "giao thong - van tai", "khoa hoc va cong nghe",
	"giao duc va dao tao", "giao duc - dao tao", "y te", "tai chinh",
	"noi vu", "tu phap", "cong thuong", "xay dung", "ngoai vu", "dan toc",
	"dan toc va ton giao", "kinh te - ha tang", "kinh te va ha tang",
	"ngoai giao", "quoc phong", "cong an", "ke hoach - dau tu",
	"canh sat", "an ninh", "tham muu", "chinh tri", "hau can", "phong chong",
	"kinh te", "ha tang", "quan ly do thi", "nong nghiep", "lao dong",
	"nn & ptnt", "nn va ptnt", "nnptnt", "ld - tb & xh", "ld - tbxh",
	"ldtbxh", "ld , tb & xh", "gd & dt", "gd - dt", "gddt", "tn & mt",
	"tnmt", "kh & cn", "khcn", "kh & dt", "khdt", "vh , tt & dl",
	"vh - tt & dl", "vhttdl", "tt & tt", "tttt", "gtvt", "tc - kh",
	"vh & tt", "vh - tt", NULL };

size_t
lex_dept_name(const struct doc *d, size_t i)
{
	size_t n = tok_phrases(d, i, dept_names, NULL);

	/* written as a name: its first word with a capital */
	if (n == 0 || !d->t[i].cap)
		return 0;
	return n;
}

/* Military and police ranks, written before a name ("Đại tá Hoàng Văn
 * Thắng"); they belong to the person's title. */
static const char *const ranks[] = { "dai tuong", "thuong tuong",
	"trung tuong", "thieu tuong", "dai ta", "thuong ta", "trung ta",
	"thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy",
	"chuan uy", "thuong si", "trung si", "ha si", "binh nhat", "binh nhi",
	NULL };

size_t
lex_rank(const struct doc *d, size_t i)
{
	size_t n = tok_phrases(d, i, ranks, NULL);

	return n > 0 && d->t[i].cap ? n : 0;
}

/* Verbs that end the name of a party in a statement ("giao Công an huyện
 * chủ trì, …", "đề nghị UBND tỉnh quan tâm đầu tư …"): the common verbs of
 * directives, two syllables each, so that no syllable count decides. */
static const char *const verbs[] = { "chu tri", "quan tam", "phoi hop",
	"tang cuong", "chi dao", "ho tro", "tiep tuc", "trien khai",
	"thuc hien", "to chuc", "xem xet", "bo tri", "dau tu", "nghien cuu",
	"xay dung", "ra soat", "kiem tra", "giam sat", "bao dam", "dam bao",
	"chuan bi", "tham muu", "huong dan", "theo doi", "tong hop", "bao cao",
	"de xuat", "cung co", "kien toan", "day manh", "nang cao", "duy tri",
	"tap trung", "chu dong", "khan truong", "hoan thanh", "phat huy",
	"quan ly", "giai quyet", "xu ly", "tuyen truyen", "van dong", "lam tot",
	"tich cuc", "sua chua", "nang cap", "cap phat", "ban hanh", "ky ket",
	"tham gia", "dieu tra", "phat hien", "ngan chan", "dau tranh",
	"tuan tra", "kiem soat", "bo sung", "dieu chinh", "uu tien", "som",
	"kip thoi", "lam viec", "tiep nhan", "xac minh", "danh gia", "tao",
	"giup", "cho", "dinh ky", "thuong xuyen", "chu trong", "phan cong", "boi duong",
	"doi moi", "mo", "lap", "ban bac", "quyet dinh", "cho phep", "phe duyet",
	"nhan rong", "chi huy", NULL };

size_t
lex_verb(const struct doc *d, size_t i)
{
	size_t n;

	if (i >= d->nt || d->t[i].type != TK_WORD || d->t[i].cap)
		return 0;
	n = tok_phrases(d, i, verbs, NULL);
	/* "các tổ chức", "cơ quan, tổ chức": a noun */
	if (n > 0 && tok_phrase(d, i, "to chuc") && i > 0 &&
	    (tok_is(d, i - 1, "cac") || is_comma(d, i - 1) ||
	    tok_is(d, i - 1, "va") || tok_is(d, i - 1, "nhung")))
		return 0;
	/* "cơ quan tham mưu": a noun phrase */
	if (n > 0 && tok_phrase(d, i, "tham muu") && i > 0 && tok_is(d, i - 1, "quan"))
		return 0;
	return n;
}

/* Is "giao" at i the verb of assigning ("giao Công an huyện chủ trì")?
 * Not inside a name or a compound: "Bộ Ngoại giao", "bàn giao", "chuyển
 * giao", "giao ban", "giao lưu", "giao thông", "giao thương", "giao dịch",
 * "giao tiếp", "giao nhận", "giao khoán", "giao đất", "giao hữu"; nor
 * "giáo" ("giáo dục"), which folds alike. */
bool
lex_giao_verb(const struct doc *d, size_t i)
{
	static const char *const after[] = { "ban", "luu", "thong", "thuong",
		"dich", "tiep", "thoa", "nhan", "khoan", "dat", "huu", "hoa",
		"ket", "lien", "te", "chien", "dien", "lo", "hang", NULL };
	static const char *const before[] = { "ngoai", "ban", "chuyen", "phan",
		"doi", "ket", NULL };

	if (!tok_raw(d, i, "giao"))
		return false;
	for (size_t k = 0; after[k] != NULL; k++)
		if (tok_is(d, i + 1, after[k]) && !d->t[i + 1].cap)
			return false;
	for (size_t k = 0; i > 0 && before[k] != NULL; k++)
		if (tok_is(d, i - 1, before[k]))
			return false;
	return true;
}

/* A count written as a word: "hai huyện", "ba xã". */
bool
lex_number_word(const struct doc *d, size_t i)
{
	static const char *const w[] = { "hai", "ba", "bon", "sau", "bay",
		"tam", "chin", "muoi", "cac", "nhung", "moi", NULL };

	for (size_t k = 0; w[k] != NULL; k++)
		if (tok_is(d, i, w[k]))
			return true;
	return false;
}

static const struct { const char *f; const char *name; } doc_kinds_vi[] = {
	{ "nghi quyet", "Nghị quyết" }, { "quyet dinh", "Quyết định" },
	{ "ket luan", "Kết luận" }, { "chi thi", "Chỉ thị" },
	{ "ke hoach", "Kế hoạch" }, { "quy che", "Quy chế" },
	{ "quy dinh", "Quy định" }, { "nghi dinh", "Nghị định" },
	{ "thong tu", "Thông tư" }, { "luat", "Luật" },
	{ "chuong trinh", "Chương trình" }, { "huong dan", "Hướng dẫn" },
	{ "cong van", "Công văn" }, { "bao cao", "Báo cáo" },
	{ "thong bao", "Thông báo" }, { "de an", "Đề án" },
	{ "to trinh", "Tờ trình" }, { "thong tri", "Thông tri" },
	{ "nghi quyet lien tich", "Nghị quyết liên tịch" },
	{ "thong tu lien tich", "Thông tư liên tịch" },
	{ "ban thoa thuan", "Bản thỏa thuận" },
	{ "bien ban", "Biên bản" }, { "bien ban ghi nho", "Biên bản ghi nhớ" },
	{ "hiep dinh", "Hiệp định" }, { "thoa thuan", "Thỏa thuận" },
	{ "nghi dinh thu", "Nghị định thư" }, { "hien phap", "Hiến pháp" },
	{ "hiep uoc", "Hiệp ước" }, { "thong cao chung", "Thông cáo chung" },
	{ "tuyen bo chung", "Tuyên bố chung" }, { "ban ghi nho", "Bản ghi nhớ" },
	{ "phap lenh", "Pháp lệnh" }, { "cong uoc", "Công ước" },
};

size_t
lex_doc_kind(const struct doc *d, size_t i, const char **name)
{
	size_t best = 0;

	for (size_t k = 0; k < sizeof doc_kinds_vi / sizeof doc_kinds_vi[0]; k++) {
		size_t n = tok_phrase(d, i, doc_kinds_vi[k].f);
		if (n > best) {
			best = n;
			*name = doc_kinds_vi[k].name;
		}
	}
	return best;
}

/* The meeting a set of minutes records ("Biên bản hội đàm", "Biên bản
 * Hội nghị", "biên bản cuộc họp", "biên bản làm việc"): its words' count. */
size_t
lex_meeting_noun(const struct doc *d, size_t i)
{
	static const char *const nouns[] = { "hoi dam", "hoi nghi", "cuoc hop",
		"phien hop", "lam viec", "buoi lam viec", "ky ket", "giao ban", "hop",
		"thoa thuan", "ket nghia", "hoi ngo", NULL };
	size_t best = 0;

	for (size_t k = 0; nouns[k] != NULL; k++) {
		size_t n = tok_phrase(d, i, nouns[k]);
		if (n > best)
			best = n;
	}
	return best;
}

/* Provinces, prefectures, districts and townships across the border that
 * reports name without a record in the database, as Vietnamese writes them
 * (several spellings; lex_squash joins "Sê Kông", "Sê-Kông", "Xê Kông"):
 * folded -> ISO country and level (GUIDELINES.md, foreign units). */
static const struct { const char *f, *canon, *country, *level; } foreign_known[] = {
	{ "van nam", "van nam", "CN", "province" },
	{ "quang tay", "quang tay", "CN", "province" },
	{ "khu tu tri dan toc choang quang tay", "quang tay", "CN", "province" },
	{ "hong ha", "hong ha", "CN", "prefecture" },
	{ "van son", "van son", "CN", "prefecture" },
	{ "phong thanh cang", "phong thanh cang", "CN", "prefecture" },
	{ "bach sac", "bach sac", "CN", "prefecture" },
	{ "sung ta", "sung ta", "CN", "prefecture" },
	{ "pho nhi", "pho nhi", "CN", "prefecture" },
	{ "tay song ban nap", "tay song ban nap", "CN", "prefecture" },
	{ "ma quan", "ma quan", "CN", "district" },
	{ "ha khau", "ha khau", "CN", "district" },
	{ "kim binh", "kim binh", "CN", "district" },
	{ "luc xuan", "luc xuan", "CN", "district" },
	{ "giang thanh", "giang thanh", "CN", "district" },
	{ "ma lat pha", "ma lat pha", "CN", "district" },
	{ "phu ninh", "phu ninh", "CN", "district" },
	{ "tay tru", "tay tru", "CN", "district" },
	{ "mong tu", "mong tu", "CN", "district" },
	{ "tinh tay", "tinh tay", "CN", "district" },
	{ "long chau", "long chau", "CN", "district" },
	{ "bang tuong", "bang tuong", "CN", "district" },
	{ "ninh minh", "ninh minh", "CN", "district" },
	{ "dong hung", "dong hung", "CN", "district" },
	{ "dai tan", "dai tan", "CN", "district" },
	{ "na pha", "na pha", "CN", "district" },
	{ "phong thanh", "phong thanh", "CN", "district" },
	{ "mong lap", "mong lap", "CN", "district" },
	{ "thien bao", "thien bao", "CN", "township" },
	{ "kim thuy ha", "kim thuy ha", "CN", "township" },
	{ "giang binh", "giang binh", "CN", "township" },
	{ "thuy khau", "thuy khau", "CN", "township" },
	{ "ai diem", "ai diem", "CN", "township" },
	{ "dong trung", "dong trung", "CN", "township" },
	{ "ba son", "ba son", "CN", "township" },
	{ "nam khe", "nam khe", "CN", "township" },
	{ "phong sa ly", "phong sa ly", "LA", "province" },
	{ "phongsaly", "phong sa ly", "LA", "province" },
	{ "phongsali", "phong sa ly", "LA", "province" },
	{ "luong nam tha", "luong nam tha", "LA", "province" },
	{ "luang namtha", "luong nam tha", "LA", "province" },
	{ "u dom xay", "u dom xay", "LA", "province" },
	{ "oudomxay", "u dom xay", "LA", "province" },
	{ "luong pha bang", "luong pha bang", "LA", "province" },
	{ "luang prabang", "luong pha bang", "LA", "province" },
	{ "luang phabang", "luong pha bang", "LA", "province" },
	{ "hua phan", "hua phan", "LA", "province" },
	{ "houaphanh", "hua phan", "LA", "province" },
	{ "xieng khoang", "xieng khoang", "LA", "province" },
	{ "xiengkhouang", "xieng khoang", "LA", "province" },
	{ "bo ly kham xay", "bo ly kham xay", "LA", "province" },
	{ "bolikhamxay", "bo ly kham xay", "LA", "province" },
	{ "bolikhamsai", "bo ly kham xay", "LA", "province" },
	{ "kham muon", "kham muon", "LA", "province" },
	{ "khammouane", "kham muon", "LA", "province" },
	{ "xa van na khet", "xa van na khet", "LA", "province" },
	{ "savannakhet", "xa van na khet", "LA", "province" },
	{ "sa la van", "sa la van", "LA", "province" },
	{ "salavan", "sa la van", "LA", "province" },
	{ "saravan", "sa la van", "LA", "province" },
	{ "saravane", "sa la van", "LA", "province" },
	{ "se kong", "se kong", "LA", "province" },
	{ "sekong", "se kong", "LA", "province" },
	{ "at ta pu", "at ta pu", "LA", "province" },
	{ "attapu", "at ta pu", "LA", "province" },
	{ "attapeu", "at ta pu", "LA", "province" },
	{ "atapu", "at ta pu", "LA", "province" },
	{ "viengchan", "viengchan", "LA", "province" },
	{ "vieng chan", "viengchan", "LA", "province" },
	{ "vientiane", "viengchan", "LA", "province" },
	{ "xieng kho", "xieng kho", "LA", "district" },
	{ "sam to", "sam to", "LA", "district" },
	{ "sop bau", "sop bau", "LA", "district" },
	{ "vieng xay", "vieng xay", "LA", "district" },
	{ "sam nua", "sam nua", "LA", "district" },
	{ "noong het", "noong het", "LA", "district" },
	{ "nong het", "noong het", "LA", "district" },
	{ "kham cot", "kham cot", "LA", "district" },
	{ "khamkeut", "kham cot", "LA", "district" },
	{ "na kai", "na kai", "LA", "district" },
	{ "nakai", "na kai", "LA", "district" },
	{ "se pon", "se pon", "LA", "district" },
	{ "sepon", "se pon", "LA", "district" },
	{ "sa muoi", "sa muoi", "LA", "district" },
	{ "samouay", "sa muoi", "LA", "district" },
	{ "ta oi", "ta oi", "LA", "district" },
	{ "dac chung", "dac chung", "LA", "district" },
	{ "dak chung", "dac chung", "LA", "district" },
	{ "dakcheung", "dac chung", "LA", "district" },
	{ "ka lum", "ka lum", "LA", "district" },
	{ "kaleum", "ka lum", "LA", "district" },
	{ "la mam", "la mam", "LA", "district" },
	{ "lamam", "la mam", "LA", "district" },
	{ "phu vong", "phu vong", "LA", "district" },
	{ "san xay", "san xay", "LA", "district" },
	{ "sanxay", "san xay", "LA", "district" },
	{ "sa nam xay", "sa nam xay", "LA", "district" },
	{ "sanamxay", "sa nam xay", "LA", "district" },
	{ "bun tay", "bun tay", "LA", "district" },
	{ "bun nua", "bun nua", "LA", "district" },
	{ "nhot ou", "nhot ou", "LA", "district" },
	{ "muong may", "muong may", "LA", "district" },
	{ "muong khoa", "muong khoa", "LA", "district" },
	{ "muong et", "muong et", "LA", "district" },
	{ "muong ngoi", "muong ngoi", "LA", "district" },
	{ "muong xay", "muong xay", "LA", "district" },
	{ "bua la pha", "bua la pha", "LA", "district" },
	{ "boualapha", "bua la pha", "LA", "district" },
	{ "nhom ma lat", "nhom ma lat", "LA", "district" },
	{ "vieng thong", "vieng thong", "LA", "district" },
	{ "xay phu thong", "xay phu thong", "LA", "district" },
	{ "muong noong", "muong noong", "LA", "district" },
	{ "xon", "xon", "LA", "district" },
	{ "kuan", "kuan", "LA", "district" },
	{ "viengkham", "viengkham", "LA", "district" },
	{ "vieng kham", "viengkham", "LA", "district" },
	{ "sam tai", "sam tai", "LA", "district" },
	{ "muong khua", "muong khua", "LA", "district" },
	{ "mai", "mai", "LA", "district" },
	{ "khua", "khua", "LA", "district" },
	{ "xam nua", "sam nua", "LA", "district" },
	{ "xam to", "sam to", "LA", "district" },
	{ "vilabouly", "vilabouly", "LA", "district" },
	{ "champasak", "champasak", "LA", "province" }, { "cham pa sak", "champasak", "LA", "province" },
	{ "nong", "nong", "LA", "district" },
	{ "ratanakiri", "ratanakiri", "KH", "province" },
	{ "rattanakiri", "ratanakiri", "KH", "province" },
	{ "ratanak kiri", "ratanakiri", "KH", "province" },
	{ "ra ta na ki ri", "ratanakiri", "KH", "province" },
	{ "mondulkiri", "mondulkiri", "KH", "province" },
	{ "mondul kiri", "mondulkiri", "KH", "province" },
	{ "mundulkiri", "mondulkiri", "KH", "province" },
	{ "mun dun ki ri", "mondulkiri", "KH", "province" },
	{ "kratie", "kratie", "KH", "province" },
	{ "kra che", "kratie", "KH", "province" },
	{ "tbong khmum", "tbong khmum", "KH", "province" },
	{ "tboung khmum", "tbong khmum", "KH", "province" },
	{ "kampong cham", "kampong cham", "KH", "province" },
	{ "kong pong cham", "kampong cham", "KH", "province" },
	{ "prey veng", "prey veng", "KH", "province" },
	{ "prey vieng", "prey veng", "KH", "province" },
	{ "svay rieng", "svay rieng", "KH", "province" },
	{ "xvay rieng", "svay rieng", "KH", "province" },
	{ "kandal", "kandal", "KH", "province" },
	{ "kan dan", "kandal", "KH", "province" },
	{ "takeo", "takeo", "KH", "province" },
	{ "ta keo", "takeo", "KH", "province" },
	{ "kampot", "kampot", "KH", "province" },
	{ "kam pot", "kampot", "KH", "province" },
	{ "kep", "kep", "KH", "province" },
	{ "stung treng", "stung treng", "KH", "province" },
	{ "stoeng treng", "stung treng", "KH", "province" },
	{ "chantrea", "chantrea", "KH", "district" },
	{ "chan tria", "chantrea", "KH", "district" },
	{ "kampong ro", "kampong ro", "KH", "district" },
	{ "kampong rou", "kampong ro", "KH", "district" },
	{ "rumduol", "rumduol", "KH", "district" },
	{ "romeas hek", "romeas hek", "KH", "district" },
	{ "svay teap", "svay teap", "KH", "district" },
	{ "svay chrum", "svay chrum", "KH", "district" },
	{ "bavet", "bavet", "KH", "district" },
	{ "ba vet", "bavet", "KH", "district" },
	{ "memot", "memot", "KH", "district" },
	{ "mem mot", "memot", "KH", "district" },
	{ "ponhea krek", "ponhea krek", "KH", "district" },
	{ "dambe", "dambe", "KH", "district" },
	{ "kirivong", "kirivong", "KH", "district" },
	{ "kiri vong", "kirivong", "KH", "district" },
	{ "koh andet", "koh andet", "KH", "district" },
	{ "borei chulsa", "borei chulsa", "KH", "district" },
	{ "kampong trach", "kampong trach", "KH", "district" },
	{ "banteay meas", "banteay meas", "KH", "district" },
	{ "koh thom", "koh thom", "KH", "district" },
	{ "loeuk daek", "loeuk daek", "KH", "district" },
	{ "andoung meas", "andoung meas", "KH", "district" },
	{ "o ya dao", "o ya dao", "KH", "district" },
	{ "o yadav", "o ya dao", "KH", "district" },
	{ "ou ya dav", "o ya dao", "KH", "district" },
	{ "ta veaeng", "ta veaeng", "KH", "district" },
	{ "bar kaev", "bar kaev", "KH", "district" },
	{ "lumphat", "lumphat", "KH", "district" },
	{ "koun mom", "koun mom", "KH", "district" },
	{ "snuol", "snuol", "KH", "district" },
	{ "keo seima", "keo seima", "KH", "district" },
	{ "pech chreada", "pech chreada", "KH", "district" },
	{ "ou reang", "ou reang", "KH", "district" },
	{ "sen monorom", "sen monorom", "KH", "district" },
	{ "an long ven", "an long ven", "KH", "district" },
	{ "koh kong", "koh kong", "KH", "province" },
};

const char *
lex_foreign(const char *folded_name, const char **level, const char **canon)
{
	char sq[ING_PHRASE_MAX], sk[ING_PHRASE_MAX];
	size_t hit = (size_t)-1;

	for (size_t k = 0; k < sizeof foreign_known / sizeof foreign_known[0]; k++)
		if (strcmp(foreign_known[k].f, folded_name) == 0) {
			hit = k;
			break;
		}
	/* a spelling variant: "Svayrieng", "Sê-Kông", "KiRiVong"; names of
	 * one short syllable ("Mai", "Xon") only as written */
	lex_squash(folded_name, sq, sizeof sq);
	for (size_t k = 0; hit == (size_t)-1 && strlen(sq) >= 5 &&
	    k < sizeof foreign_known / sizeof foreign_known[0]; k++) {
		lex_squash(foreign_known[k].f, sk, sizeof sk);
		if (strcmp(sk, sq) == 0)
			hit = k;
	}
	if (hit == (size_t)-1)
		return NULL;
	if (level != NULL)
		*level = foreign_known[hit].level;
	if (canon != NULL)
		*canon = foreign_known[hit].canon;
	return foreign_known[hit].country;
}

/* Type words of units across the border that Vietnamese places do not
 * use (lower case, before a capitalised name): their level and country. */
static const struct { const char *raw, *level, *country; } foreign_types[] = {
	{ "khu tự trị", "province", "CN" }, { "châu", "prefecture", "CN" },
	{ "hương", "township", "CN" }, { "trấn", "township", "CN" },
	{ "mường", "district", "LA" }, { "khoueng", "province", "LA" },
	{ "cụm bản", "village_cluster", "LA" }, { "cụm", "village_cluster", "LA" },
	{ "phum", PLEVEL_VILLAGE, "KH" }, { "srok", "district", "KH" },
	{ "khum", "township", "KH" }, { "khet", "province", "KH" },
	{ "krong", "district", "KH" },
	/* written with a capital too ("Trấn Seo Pả Chư", "Phum Tà Ni" opening
	 * a sentence): words no Vietnamese place name begins with after
	 * its own type word */
	{ "Trấn", "township", "CN" }, { "Phum", PLEVEL_VILLAGE, "KH" },
	{ "Khum", "township", "KH" }, { "Srok", "district", "KH" },
	{ "Cụm bản", "village_cluster", "LA" },
};

size_t
lex_foreign_type(const struct doc *d, size_t i, const char **level,
    const char **country)
{
	size_t best = 0;

	for (size_t k = 0; k < sizeof foreign_types / sizeof foreign_types[0]; k++) {
		const char *r = foreign_types[k].raw;
		size_t n = 1;
		for (const char *p = r; *p; p++)
			n += *p == ' ';
		if (n > best && tok_raw_phrase(d, i, r)) {
			best = n;
			*level = foreign_types[k].level;
			*country = foreign_types[k].country;
		}
	}
	/* "quê hương X", "châu Á": words, not types */
	if (best == 1 && ((tok_is(d, i, "huong") && i > 0 && tok_is(d, i - 1, "que")) ||
	    (tok_is(d, i, "chau") && (tok_is(d, i + 1, "a") || tok_is(d, i + 1, "au") ||
	    tok_is(d, i + 1, "phi") || tok_is(d, i + 1, "my") || tok_is(d, i + 1, "uc")))))
		return 0;
	/* the type word is lower case and a name follows ("Khu tự trị" opens
	 * a sentence too); a capitalised one of the list above, not as a
	 * Vietnamese unit's name ("huyện Trấn Yên") */
	if (best == 0 || i + best >= d->nt || !d->t[i + best].cap)
		return 0;
	if (d->t[i].cap && strcmp(*level, "province") != 0) {
		unsigned lv;
		bool listed = false;
		for (size_t k = 0; k < sizeof foreign_types / sizeof foreign_types[0]; k++)
			listed |= isupper((unsigned char)foreign_types[k].raw[0]) &&
			    tok_raw_phrase(d, i, foreign_types[k].raw);
		if (!listed || (i > 0 && lex_unit_type(d, i - 1, &lv) > 0))
			return 0;
	}
	return best;
}

/* The level a type word gives a unit across the border ("tỉnh" a
 * province, "thị trấn" a township): NULL when it says nothing. */
const char *
lex_foreign_level_of(const struct doc *d, size_t i, size_t n)
{
	if (n == 0)
		return NULL;
	if (tok_is(d, i, "tinh"))
		return "province";
	if (tok_is(d, i, "huyen") || tok_is(d, i, "tp") || tok_phrase(d, i, "thanh pho") ||
	    tok_phrase(d, i, "thi xa") || tok_is(d, i, "quan"))
		return "district";
	if (tok_phrase(d, i, "thi tran") || tok_is(d, i, "xa") || tok_is(d, i, "tt") ||
	    tok_is(d, i, "phuong"))
		return "township";
	/* across the border "khu" is a district of a city ("khu Phòng Thành"),
	 * not the Vietnamese neighbourhood */
	if (tok_is(d, i, "khu") && n == 1)
		return "district";
	return PLEVEL_VILLAGE;
}

size_t
lex_country(const struct doc *d, size_t i, const char **code)
{
	size_t n;

	if ((n = tok_phrase(d, i, "trung quoc")) > 0) {
		*code = "CN";
		return n;
	}
	if ((n = tok_phrase(d, i, "campuchia")) > 0 ||
	    (n = tok_phrase(d, i, "cam - pu - chia")) > 0) {
		*code = "KH";
		return n;
	}
	/* "Lào", "(lào)"; not "Lao Bảo", "Lao Cai" */
	if (tok_raw(d, i, "lào")) {
		*code = "LA";
		return 1;
	}
	if ((n = tok_phrase(d, i, "thai lan")) > 0) {
		*code = "TH";
		return n;
	}
	return 0;
}

/* ---- gazetteers ------------------------------------------------------------- */

static int
cmp_unit(const void *a, const void *b)
{
	const struct gz_unit *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct gz_idx *)a)->id, y = ((const struct gz_idx *)b)->id;

	return x < y ? -1 : x > y;
}

/* qsort has no context argument: the unit array being sorted by
 * squashed key (gaz_load runs once per extraction, in one thread) */
static _Thread_local const struct gz_unit *sq_units;

static int
cmp_sq(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sq_units[x].sq, sq_units[y].sq);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

static int
cmp_link(const void *a, const void *b)
{
	const struct gz_link *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct gz_name *)a)->key,
	    ((const struct gz_name *)b)->key);
}

static int
cmp_pos(const void *a, const void *b)
{
	int64_t x = ((const struct gz_pos *)a)->person, y = ((const struct gz_pos *)b)->person;

	return x < y ? -1 : x > y;
}

static json_t *
list_all(struct store *st, enum entity_id entity, struct err *e)
{
	const struct entity_def *ent = entity_of(entity);
	struct list_query q;

	memset(&q, 0, sizeof q);
	return store_list_all(st, ent, &q, ING_GZ_ROWS_MAX, e);
}

static int
add_name(struct gz_name **list, size_t *n, size_t *cap, const char *name,
    int64_t id, const char *aux)
{
	char *key, *dup;

	if (name == NULL || *name == '\0')
		return 0;
	key = text_fold(name);
	if (key == NULL || *key == '\0') {
		free(key);
		return 0;
	}
	if ((dup = strdup(name)) == NULL) {
		free(key);
		return -1;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct gz_name *nl = realloc(*list, nc * sizeof *nl);
		if (nl == NULL) {
			free(key);
			free(dup);
			return -1;
		}
		*list = nl;
		*cap = nc;
	}
	(*list)[*n].key = key;
	(*list)[*n].name = dup;
	(*list)[*n].unit = 0;
	(*list)[*n].id = id;
	snprintf((*list)[*n].aux, sizeof (*list)[*n].aux, "%s", aux ? aux : "");
	(*n)++;
	return 0;
}

/* name and every ';'-separated alias */
static int
add_names(struct gz_name **list, size_t *n, size_t *cap, const char *name,
    const char *aliases, int64_t id, const char *aux)
{
	if (add_name(list, n, cap, name, id, aux) != 0)
		return -1;
	if (aliases != NULL) {
		char tmp[600];
		char *p = tmp, *sc;
		snprintf(tmp, sizeof tmp, "%s", aliases);
		while (p != NULL && *p) {
			sc = strchr(p, ';');
			if (sc)
				*sc = '\0';
			while (*p == ' ')
				p++;
			if (add_name(list, n, cap, p, id, aux) != 0)
				return -1;
			p = sc ? sc + 1 : NULL;
		}
	}
	return 0;
}

int
gaz_load(struct store *st, struct gaz *g, struct err *e)
{
	json_t *rows = NULL, *r;
	size_t i, cap;

	memset(g, 0, sizeof *g);
	if (st == NULL)
		return 0;

	/* administrative units of both vintages */
	if ((rows = list_all(st, ENT_ADMIN_UNIT, e)) == NULL)
		return -1;
	g->u = calloc(json_array_size(rows) + 1, sizeof *g->u);
	if (g->u == NULL)
		goto oom;
	json_array_foreach(rows, i, r) {
		struct gz_unit *u = &g->u[g->nu];
		const char *name = jrec_str(r, FLD_ADMIN_UNIT_NAME);
		const char *type = jrec_str(r, FLD_ADMIN_UNIT_TYPE);
		const char *vf = jrec_str(r, FLD_ADMIN_UNIT_VALID_FROM);
		const char *vt = jrec_str(r, FLD_ADMIN_UNIT_VALID_TO);
		char bare[256];
		if (name == NULL)
			continue;
		text_unit_bare_name(name, bare, sizeof bare);
		u->key = text_fold(bare);
		u->name = strdup(name);
		u->sq = u->key != NULL ? malloc(strlen(u->key) + 1) : NULL;
		if (u->key == NULL || u->name == NULL || u->sq == NULL) {
			free(u->key);
			free(u->name);
			free(u->sq);
			goto oom;
		}
		lex_squash(u->key, u->sq, strlen(u->key) + 1);
		snprintf(u->code, sizeof u->code, "%s", jrec_str(r, FLD_ADMIN_UNIT_CODE) ?
		    jrec_str(r, FLD_ADMIN_UNIT_CODE) : "");
		if (type != NULL)
			fold_span(type, strlen(type), u->type_f, sizeof u->type_f);
		/* the rank the type says (1 province, 2 district, 3 commune):
		 * the 2025 tables put communes at level 2, under the province */
		if (strcmp(u->type_f, "tinh") == 0 ||
		    strcmp(u->type_f, "thanh pho trung uong") == 0)
			u->level = 1;
		else if (strcmp(u->type_f, "huyen") == 0 || strcmp(u->type_f, "quan") == 0 ||
		    strcmp(u->type_f, "thi xa") == 0 || strcmp(u->type_f, "thanh pho") == 0)
			u->level = 2;
		else if (strcmp(u->type_f, "xa") == 0 || strcmp(u->type_f, "phuong") == 0 ||
		    strcmp(u->type_f, "thi tran") == 0 || strcmp(u->type_f, "dac khu") == 0)
			u->level = 3;
		else
			u->level = (int)jrec_int(r, FLD_ADMIN_UNIT_LEVEL);
		u->id = json_integer_value(json_object_get(r, "id"));
		u->parent_id = jrec_int(r, FLD_ADMIN_UNIT_PARENT_ID);
		u->vintage = (vt != NULL && strcmp(vt, "2025-07-01") < 0) ? 2024 :
		    (vf != NULL && strcmp(vf, "2025-07-01") >= 0) ? 2025 : 0;
		g->nu++;
	}
	json_decref(rows);
	rows = NULL;
	if (g->nu > 0)
		qsort(g->u, g->nu, sizeof *g->u, cmp_unit);
	g->by_id = malloc((g->nu + 1) * sizeof *g->by_id);
	if (g->by_id == NULL)
		goto oom;
	for (i = 0; i < g->nu; i++) {
		g->by_id[i].id = g->u[i].id;
		g->by_id[i].idx = i;
	}
	if (g->nu > 0)
		qsort(g->by_id, g->nu, sizeof *g->by_id, cmp_by_id);
	g->by_sq = malloc((g->nu + 1) * sizeof *g->by_sq);
	if (g->by_sq == NULL)
		goto oom;
	for (i = 0; i < g->nu; i++)
		g->by_sq[i] = i;
	sq_units = g->u;
	if (g->nu > 0)
		qsort(g->by_sq, g->nu, sizeof *g->by_sq, cmp_sq);

	if ((rows = list_all(st, ENT_UNIT_LINEAGE, e)) == NULL)
		goto fail;
	g->lin = calloc(json_array_size(rows) + 1, sizeof *g->lin);
	if (g->lin == NULL)
		goto oom;
	json_array_foreach(rows, i, r) {
		g->lin[g->nlin].from = jrec_int(r, FLD_UNIT_LINEAGE_OLD_UNIT_ID);
		g->lin[g->nlin].to = jrec_int(r, FLD_UNIT_LINEAGE_NEW_UNIT_ID);
		g->nlin++;
	}
	json_decref(rows);
	rows = NULL;
	if (g->nlin > 0)
		qsort(g->lin, g->nlin, sizeof *g->lin, cmp_link);

	cap = 0;
	if ((rows = list_all(st, ENT_PERSON, e)) == NULL)
		goto fail;
	json_array_foreach(rows, i, r)
		if (add_name(&g->people, &g->npeople, &cap, jrec_str(r, FLD_PERSON_FULL_NAME),
		    json_integer_value(json_object_get(r, "id")), NULL) != 0)
			goto oom;
	json_decref(rows);
	rows = NULL;

	/* the positions people hold, for telling people of one name apart */
	if ((rows = list_all(st, ENT_POSITION, e)) == NULL)
		goto fail;
	g->pos = calloc(json_array_size(rows) + 1, sizeof *g->pos);
	if (g->pos == NULL)
		goto oom;
	json_array_foreach(rows, i, r) {
		struct gz_pos *ps = &g->pos[g->npos];
		const char *vf = jrec_str(r, FLD_POSITION_VALID_FROM);
		const char *vt = jrec_str(r, FLD_POSITION_VALID_TO);
		const char *title = jrec_str(r, FLD_POSITION_TITLE);
		if (title == NULL)
			continue;
		ps->title = text_fold(title);
		ps->raw = strdup(title);
		if (ps->title == NULL || ps->raw == NULL) {
			free(ps->title);
			free(ps->raw);
			goto oom;
		}
		ps->person = jrec_int(r, FLD_POSITION_PERSON_ID);
		ps->org = jrec_int(r, FLD_POSITION_ORGANISATION_ID);
		snprintf(ps->from, sizeof ps->from, "%s", vf ? vf : "");
		snprintf(ps->to, sizeof ps->to, "%s", vt ? vt : "");
		g->npos++;
	}
	json_decref(rows);
	rows = NULL;
	if (g->npos > 0)
		qsort(g->pos, g->npos, sizeof *g->pos, cmp_pos);

	cap = 0;
	if ((rows = list_all(st, ENT_ORGANISATION, e)) == NULL)
		goto fail;
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		int64_t unit = jrec_int(r, FLD_ORGANISATION_UNIT_ID);
		const char *kind = jrec_str(r, FLD_ORGANISATION_KIND);
		size_t from = g->norgs;
		if (add_names(&g->orgs, &g->norgs, &cap,
		    jrec_str(r, FLD_ORGANISATION_NAME),
		    jrec_str(r, FLD_ORGANISATION_ALIASES), id, kind) != 0 ||
		    add_name(&g->orgs, &g->norgs, &cap,
		    jrec_str(r, FLD_ORGANISATION_SHORT_NAME), id, kind) != 0)
			goto oom;
		for (size_t k = from; k < g->norgs; k++)
			g->orgs[k].unit = unit;
	}
	json_decref(rows);
	rows = NULL;

	cap = 0;
	if ((rows = list_all(st, ENT_FOREIGN_UNIT, e)) == NULL)
		goto fail;
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		const char *country = jrec_str(r, FLD_FOREIGN_UNIT_COUNTRY);
		char bare[256];
		const char *nv = jrec_str(r, FLD_FOREIGN_UNIT_NAME_VI);
		const char *type = jrec_str(r, FLD_FOREIGN_UNIT_TYPE);
		char aux[32];
		snprintf(aux, sizeof aux, "%s:%s", country ? country : "",
		    type ? type : "");
		country = aux;
		if (add_names(&g->foreign, &g->nforeign, &cap, nv,
		    jrec_str(r, FLD_FOREIGN_UNIT_ALIASES), id, country) != 0 ||
		    add_name(&g->foreign, &g->nforeign, &cap,
		    jrec_str(r, FLD_FOREIGN_UNIT_NAME_NATIVE), id, country) != 0)
			goto oom;
		/* "Trấn Mã Quan" is found as "Mã Quan" too */
		if (nv != NULL) {
			text_unit_bare_name(nv, bare, sizeof bare);
			if (strcmp(bare, nv) != 0 &&
			    add_name(&g->foreign, &g->nforeign, &cap, bare, id,
			    country) != 0)
				goto oom;
		}
	}
	json_decref(rows);
	rows = NULL;

	if (g->npeople > 0)
		qsort(g->people, g->npeople, sizeof *g->people, cmp_name);
	if (g->norgs > 0)
		qsort(g->orgs, g->norgs, sizeof *g->orgs, cmp_name);
	if (g->nforeign > 0)
		qsort(g->foreign, g->nforeign, sizeof *g->foreign, cmp_name);
	return 0;
oom:
	err_set(e, ERR_INTERNAL, "hết bộ nhớ");
fail:
	json_decref(rows);
	gaz_free(g);
	return -1;
}

static void
free_names(struct gz_name *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].key);
		free(l[i].name);
	}
	free(l);
}

void
gaz_free(struct gaz *g)
{
	for (size_t i = 0; i < g->nu; i++) {
		free(g->u[i].key);
		free(g->u[i].sq);
		free(g->u[i].name);
	}
	free(g->u);
	free(g->by_id);
	free(g->by_sq);
	free(g->lin);
	free_names(g->people, g->npeople);
	free_names(g->orgs, g->norgs);
	free_names(g->foreign, g->nforeign);
	for (size_t i = 0; i < g->npos; i++) {
		free(g->pos[i].title);
		free(g->pos[i].raw);
	}
	free(g->pos);
	memset(g, 0, sizeof *g);
}

size_t
gaz_units(const struct gaz *g, const char *key, size_t *first)
{
	size_t lo = 0, hi = g->nu, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(g->u[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < g->nu && strcmp(g->u[lo + n].key, key) == 0)
		n++;
	return n;
}

size_t
gaz_units_sq(const struct gaz *g, const char *sq, size_t *first)
{
	size_t lo = 0, hi = g->nu, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(g->u[g->by_sq[mid]].sq, sq) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < g->nu && strcmp(g->u[g->by_sq[lo + n]].sq, sq) == 0)
		n++;
	return n;
}

const struct gz_unit *
gaz_unit_by_id(const struct gaz *g, int64_t id)
{
	size_t lo = 0, hi = g->nu;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t v = g->by_id[mid].id;
		if (v == id)
			return &g->u[g->by_id[mid].idx];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct gz_name *
gaz_name(const struct gz_name *list, size_t n, const char *key)
{
	struct gz_name k = { .key = (char *)key };

	if (n == 0)
		return NULL;
	return bsearch(&k, list, n, sizeof *list, cmp_name);
}

size_t
gaz_names(const struct gz_name *list, size_t n, const char *key, size_t *first)
{
	size_t lo = 0, hi = n, cnt = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(list[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + cnt < n && strcmp(list[lo + cnt].key, key) == 0)
		cnt++;
	return cnt;
}

/* The words of a folded title with the abbreviations of bodies spelled
 * out, into w[] (at most max); their count. */
static size_t
title_words(const char *folded, char w[][24], size_t max)
{
	static const struct { const char *a, *full; } ab[] = {
		{ "ubnd", "uy ban nhan dan" }, { "hdnd", "hoi dong nhan dan" },
		{ "mttq", "mat tran to quoc" }, { "bdbp", "bo doi bien phong" },
		{ "dbqh", "dai bieu quoc hoi" }, { "chqs", "chi huy quan su" },
		{ "pct", "pho chu tich" }, { "pbt", "pho bi thu" }, { "tp", "thanh pho" },
	};
	size_t n = 0;
	const char *p = folded;

	while (*p && n < max) {
		char word[24];
		size_t l = 0;
		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			p++;
		while (((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) && l + 1 < sizeof word)
			word[l++] = *p++;
		while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			p++;
		word[l] = '\0';
		if (l == 0)
			continue;
		for (size_t k = 0; k < sizeof ab / sizeof ab[0]; k++)
			if (strcmp(word, ab[k].a) == 0) {
				const char *f = ab[k].full;
				while (*f && n < max) {
					size_t m = strcspn(f, " ");
					snprintf(w[n++], 24, "%.*s", (int)m, f);
					f += m;
					while (*f == ' ')
						f++;
				}
				goto next;
			}
		snprintf(w[n++], 24, "%s", word);
next:
		;
	}
	return n;
}

/* Do two titles name one office: the same words for the most part (Dice
 * of words >= 0.75), both or neither a deputy ("Phó …")? */
static bool
title_agrees(const char *a, const char *b)
{
	char wa[48][24], wb[48][24];
	size_t na = title_words(a, wa, 48), nb = title_words(b, wb, 48), common = 0;
	bool used[48] = { false };

	if (na == 0 || nb == 0 || (strcmp(wa[0], "pho") == 0) != (strcmp(wb[0], "pho") == 0))
		return false;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (!used[j] && strcmp(wa[i], wb[j]) == 0) {
				used[j] = true;
				common++;
				break;
			}
	return 4 * 2 * common >= 3 * (na + nb);
}

bool
lex_titles_agree(const char *a, const char *b)
{
	char *fa = text_fold(a), *fb = text_fold(b);
	bool agree = false;

	for (const char *p = fa; p != NULL && *p && !agree;) {
		size_t l = strcspn(p, ",;");
		char pa[600];
		snprintf(pa, sizeof pa, "%.*s", (int)l, p);
		for (const char *q = fb; q != NULL && *q && !agree;) {
			size_t m = strcspn(q, ",;");
			char pb[600];
			snprintf(pb, sizeof pb, "%.*s", (int)m, q);
			agree = title_agrees(pa, pb);
			q += m;
			while (*q == ',' || *q == ';' || *q == ' ')
				q++;
		}
		p += l;
		while (*p == ',' || *p == ';' || *p == ' ')
			p++;
	}
	free(fa);
	free(fb);
	return agree;
}

static const char *
org_name_of(const struct gaz *g, int64_t id)
{
	for (size_t i = 0; i < g->norgs; i++)
		if (g->orgs[i].id == id)
			return g->orgs[i].name;
	return NULL;
}

int64_t
gaz_person(const struct gaz *g, const char *name_key, const char *title,
    const char *date, json_t **candidates)
{
	size_t first, n = gaz_names(g->people, g->npeople, name_key, &first);
	int64_t match = 0;
	int nmatch = 0;
	char *tf = title != NULL ? text_fold(title) : NULL;

	*candidates = NULL;
	if (n == 0) {
		free(tf);
		return 0;
	}
	for (size_t k = first; k < first + n; k++) {
		int64_t pid = g->people[k].id;
		json_t *titles = json_array();
		bool agrees = false;
		for (size_t m = 0; m < g->npos; m++) {
			const struct gz_pos *ps = &g->pos[m];
			char full[600];
			const char *on;
			if (ps->person != pid)
				continue;
			/* held on the text's date */
			if (date != NULL && date[0] && ((ps->from[0] && strcmp(ps->from, date) > 0) ||
			    (ps->to[0] && strcmp(ps->to, date) < 0)))
				continue;
			on = org_name_of(g, ps->org);
			json_array_append_new(titles, json_string(ps->raw));
			snprintf(full, sizeof full, "%s %s", ps->title, on ? on : "");
			if (tf != NULL) {
				/* the text's title may join several offices with
				 * commas: any one agreeing is enough */
				char part[600];
				const char *p = tf;
				while (*p && !agrees) {
					size_t l = strcspn(p, ",;");
					snprintf(part, sizeof part, "%.*s", (int)l, p);
					agrees = title_agrees(part, ps->title) || title_agrees(part, full);
					p += l;
					while (*p == ',' || *p == ';' || *p == ' ')
						p++;
				}
			}
		}
		if (agrees && match != pid) {
			match = pid;
			nmatch++;
		}
		if (*candidates == NULL)
			*candidates = json_array();
		json_array_append_new(*candidates, json_pack("{s:I, s:s, s:o}", PK_PERSON_ID,
		    (json_int_t)pid, PK_NAME, g->people[k].name, "titles", titles));
	}
	free(tf);
	if (nmatch == 1) {
		json_decref(*candidates);
		*candidates = NULL;
		return match;
	}
	return 0;
}

int64_t
gaz_org(const struct gaz *g, const char *key, const char *const *places,
    json_t **candidates)
{
	size_t first, n = gaz_names(g->orgs, g->norgs, key, &first);
	int64_t match = 0, only = 0;
	int nmatch = 0, distinct = 0;

	*candidates = NULL;
	for (size_t k = first; k < first + n; k++) {
		const struct gz_unit *u = g->orgs[k].unit > 0 && g->nu > 0 ?
		    gaz_unit_by_id(g, g->orgs[k].unit) : NULL;
		if (g->orgs[k].id != only) {
			distinct++;
			only = g->orgs[k].id;
		}
		for (size_t p = 0; u != NULL && places != NULL && places[p] != NULL; p++)
			if (strcmp(places[p], u->key) == 0 && match != g->orgs[k].id) {
				match = g->orgs[k].id;
				nmatch++;
				break;
			}
	}
	if (distinct == 1)
		return only;
	if (nmatch == 1)
		return match;
	if (distinct > 1) {
		*candidates = json_array();
		for (size_t k = first; k < first + n; k++)
			json_array_append_new(*candidates, json_pack("{s:I, s:s}",
			    PK_ORGANISATION_ID, (json_int_t)g->orgs[k].id, PK_NAME,
			    g->orgs[k].name));
	}
	return 0;
}

static void
add_successors_of(const struct gaz *g, int64_t id, json_t *codes, json_t *seen)
{
	struct gz_link k = { id, INT64_MIN };
	size_t lo = 0, hi = g->nlin;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_link(&g->lin[mid], &k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < g->nlin && g->lin[lo].from == id; lo++) {
		const struct gz_unit *n = gaz_unit_by_id(g, g->lin[lo].to);
		if (n != NULL && json_object_get(seen, n->code) == NULL) {
			json_object_set_new(seen, n->code, json_true());
			json_array_append_new(codes, json_string(n->code));
		}
	}
}

json_t *
gaz_successors(const struct gaz *g, const struct gz_unit *u)
{
	json_t *codes = json_array(), *seen = json_object();

	add_successors_of(g, u->id, codes, seen);
	if (json_array_size(codes) == 0 && u->level == 2) {
		/* a district went through its communes */
		for (size_t i = 0; i < g->nu; i++)
			if (g->u[i].parent_id == u->id)
				add_successors_of(g, g->u[i].id, codes, seen);
	}
	json_decref(seen);
	return codes;
}
