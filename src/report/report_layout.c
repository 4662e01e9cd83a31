/*
 * report_layout.c - which layout a document takes, from its issuing body.
 *
 * Two tables, both data: the layouts (state per Decree 30/2020, Party per
 * Hướng dẫn 36-HD/VPTW, army per Circular 92/2012/TT-BQP), and the kinds of
 * issuing body (org_kind codes) with the layout, header, symbol and
 * signature each takes.  Party bodies are told apart further by the first
 * words of their name (Tỉnh ủy, Huyện ủy, Ban Thường vụ, Ủy ban Kiểm tra,
 * Ban …), a third table.  Sources: docs/party-layout.md (keys such as
 * [H36-ten]) and shared/docs/decree30-layout.md (D30 §…).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "schema/record.h"
#include "text/text.h"

/* The layouts by index, so that a style below names its layout by an
 * identifier a typo does not compile, not by its name. */
enum layout_id { LAYOUT_STATE, LAYOUT_PARTY, LAYOUT_ARMY };

/* Sizes in half-points. */
/* The form of Decree 30, which the army layout shares (Circular 92/2012
 * follows it): one list, so the two cannot drift apart. */
#define D30_FORM \
	.motto = "Độc lập - Tự do - Hạnh phúc", .issuer_mark = NULL, \
	.number_colon = true, .number_sep = '/', .symbol_sep = '-', \
	.end_mark = "./.", .recipients_underlined = false, \
	.head_left_w = 3515, .head_right_w = 5840, .heading_rule_w = 3200, \
	.sz_heading = 24, .sz_motto = 26, .sz_parent = 24, .sz_issuer = 24, \
	.sz_number = 26, .sz_place = 26, .sz_kind = 28, .sz_title = 28

const struct report_layout report_layouts[] = {
	/* D30 §2.2: national name 12 bold, motto 13 bold with a rule as
	 * long as it (56.1 mm, D30 §2.3), a short rule under the issuer, "Số: 07/BC-UBND",
	 * TM./KT./TL./TUQ., the body ends "./." (Appendix III templates) */
	[LAYOUT_STATE] = {
	  .name = "state", .heading = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	  D30_FORM },
	/* HD36 [H36-tieude][H36-mau]: "ĐẢNG CỘNG SẢN VIỆT NAM" 15 bold,
	 * underlined; parent 14, issuer 14 bold, "*" under it [H36-ten];
	 * "Số 125-BC/HU", no colon, hyphen [H36-dp]; place-date 14 italic;
	 * type name 15-16, summary 14-15; T/M, K/T [H36-ky]; the Nơi nhận
	 * label underlined and the body closing "." per [U2].  The left
	 * column is wider: "ĐẢNG BỘ TỈNH LÀO CAI" at 14 pt (party-layout.md
	 * §2.2) does not fit the state layout's 62 mm.  The heading's rule:
	 * 72.9 mm, its width at 15 pt bold (decree30-layout.md §2.3). */
	[LAYOUT_PARTY] = {
	  .name = "party", .heading = "ĐẢNG CỘNG SẢN VIỆT NAM", .motto = NULL,
	  .issuer_mark = "*", .number_colon = false, .number_sep = '-',
	  .symbol_sep = '/', .end_mark = ".", .recipients_underlined = true,
	  .register_per_term = true,
	  .head_left_w = 4253, .head_right_w = 5102, .heading_rule_w = 4130,
	  .sz_heading = 30, .sz_motto = 30, .sz_parent = 28, .sz_issuer = 28,
	  .sz_number = 28, .sz_place = 28, .sz_kind = 32, .sz_title = 28 },
	/* Circular 92/2012/TT-BQP [BQP92]: the state heading and prefixes
	 * (party-layout.md §5); what differs (the place of a Border Guard
	 * post) is a property of the kind below */
	[LAYOUT_ARMY] = {
	  .name = "army", .heading = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	  D30_FORM },
};
#define NLAYOUTS (sizeof(report_layouts) / sizeof(report_layouts[0]))

const struct report_layout *
report_layout_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NLAYOUTS; i++)
		if (strcmp(report_layouts[i].name, name) == 0)
			return &report_layouts[i];
	return &report_layouts[LAYOUT_STATE];
}

/* How the issuing body's name is written in the header. */
enum name_form {
	NF_WHOLE,   /* the name as it is, capitals                          */
	NF_SPLIT,   /* its kind, then its place on a second line (D30 §2.3:
	             * "ỦY BAN NHÂN DÂN" / "HUYỆN SI MA CAI", both bold)     */
	NF_NOPLACE, /* without its place, which the parent line gives
	             * ("UBND TỈNH SƠN LA" / "SỞ NỘI VỤ")                    */
	NF_PARTY,   /* by the Party table below                             */
};

/* Which superior line stands above the issuing body. */
enum sup_rule {
	SUP_NONE,   /* a People's Committee or Council has none (D30 §2.3)  */
	SUP_PARENT, /* the parent record's short name, else its name        */
	SUP_FIXED,  /* a fixed line                                         */
};

struct org_style {
	const char *kind;      /* org_kind code                              */
	enum layout_id layout;
	enum name_form form;
	enum sup_rule sup;
	const char *fixed_sup;
	const char *abbr;      /* issuer abbreviation; NULL = initials      */
	const char *authority; /* first signature line; NULL none           */
	const char *title;     /* position line                             */
	bool place_province;   /* the place is the province [BQP92-d9]      */
};

/* One row per org_kind (schema/migrations/0002_catalogs.sql).  ⚠ marks
 * follow party-layout.md §7: rows resting on partial sources. */
static const struct org_style styles[] = {
	{ "peoples_committee", LAYOUT_STATE, NF_SPLIT, SUP_NONE, NULL, "UBND",
	  "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", false },              /* D30 §2.8 */
	{ "peoples_council", LAYOUT_STATE, NF_SPLIT, SUP_NONE, NULL, "HĐND",
	  "TM. THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", false },
	{ "department", LAYOUT_STATE, NF_NOPLACE, SUP_PARENT, NULL, NULL,
	  NULL, "GIÁM ĐỐC", false },
	/* ⚠ the Front: 91/HD-MTTW-BTT, treated as D30 [MT91] */
	{ "front", LAYOUT_STATE, NF_SPLIT, SUP_NONE, NULL, "MTTQ",
	  "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", false },
	/* ⚠ mass organisations: the Women's Union has no guideline; the
	 * Youth and Peasants' Unions' were read in part: D30 (§4) */
	{ "mass_org", LAYOUT_STATE, NF_SPLIT, SUP_NONE, NULL, NULL,
	  "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", false },
	/* ⚠ army units: Circular 92/2012; the Border Guard Command's
	 * superior line is derived, no source prints it */
	{ "border_guard", LAYOUT_ARMY, NF_SPLIT, SUP_FIXED,
	  "BỘ TƯ LỆNH BỘ ĐỘI BIÊN PHÒNG", "BCH", NULL, "CHỈ HUY TRƯỞNG", false },
	{ "border_post", LAYOUT_ARMY, NF_WHOLE, SUP_PARENT, NULL, "ĐBP",
	  NULL, "ĐỒN TRƯỞNG", true },
	{ "military", LAYOUT_ARMY, NF_SPLIT, SUP_PARENT, NULL, "BCH",
	  NULL, "CHỈ HUY TRƯỞNG", false },
	/* police were not researched (party-layout.md §7): D30 */
	{ "police", LAYOUT_STATE, NF_SPLIT, SUP_PARENT, NULL, "CA",
	  NULL, "THỦ TRƯỞNG", false },
	{ "party_committee", LAYOUT_PARTY, NF_PARTY, SUP_PARENT, NULL, NULL,
	  NULL, NULL, false },
	{ "party_board", LAYOUT_PARTY, NF_PARTY, SUP_PARENT, NULL, NULL,
	  NULL, NULL, false },
};
static const struct org_style style_other = { "other", LAYOUT_STATE, NF_WHOLE,
	SUP_PARENT, NULL, NULL, NULL, "THỦ TRƯỞNG", false };

/* Party bodies by the first words of their name (folded).  A committee
 * names the Đảng bộ above its children ("Tỉnh ủy Lào Cai" -> "ĐẢNG BỘ
 * TỈNH LÀO CAI" over "HUYỆN ỦY SI MA CAI", [H36-mau]); the Ban Thường vụ
 * issues under its committee's name and symbol [U2], party-layout.md
 * §2.3; an organ's symbol is its initials and its committee's, as
 * "UBKTTU" [H36-mau] (derived for the others). */
enum party_role {
	PR_COMMITTEE,  /* Tỉnh ủy, Huyện ủy, Đảng ủy, Chi bộ                 */
	PR_STANDING,   /* Ban Thường vụ, Thường trực: under the committee     */
	PR_ORGAN,      /* Ủy ban Kiểm tra, Ban …, Văn phòng of a committee   */
};

struct party_body {
	const char *prefix;    /* folded first words                       */
	size_t words;          /* how many words the prefix has            */
	enum party_role role;
	const char *abbr;      /* committees: TU, HU …; organs: their own  */
	const char *level;     /* the Đảng bộ's level word, committees only */
	const char *authority;
	const char *title;
};

static const struct party_body party_bodies[] = {
	{ "tinh uy", 2, PR_COMMITTEE, "TU", "tỉnh", "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "thanh uy", 2, PR_COMMITTEE, "TU", "thành phố", "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "huyen uy", 2, PR_COMMITTEE, "HU", "huyện", "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "quan uy", 2, PR_COMMITTEE, "QU", "quận", "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "thi uy", 2, PR_COMMITTEE, "TU", "thị xã", "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "dang uy", 2, PR_COMMITTEE, "ĐU", NULL, "T/M ĐẢNG ỦY", "BÍ THƯ" },
	{ "chi bo", 2, PR_COMMITTEE, "CB", NULL, "T/M CHI BỘ", "BÍ THƯ" },
	{ "ban thuong vu", 3, PR_STANDING, NULL, NULL, "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "thuong truc", 2, PR_STANDING, NULL, NULL, "T/M BAN THƯỜNG VỤ", "BÍ THƯ" },
	{ "uy ban kiem tra", 4, PR_ORGAN, "UBKT", NULL, "T/M ỦY BAN KIỂM TRA",
	  "CHỦ NHIỆM" },
	{ "van phong", 2, PR_ORGAN, "VP", NULL, NULL, "CHÁNH VĂN PHÒNG" },
	{ "ban", 1, PR_ORGAN, NULL, NULL, NULL, "TRƯỞNG BAN" },
};

/* Unit type words that start the place in a body's name. */
static const char *const place_words[] = { "tinh", "thanh pho", "huyen",
	"quan", "thi xa", "xa", "phuong", "thi tran" };

/* ---- small text helpers ---------------------------------------------------- */

/* text_fold and text_upper of a name: NULL only when memory ran out (the
 * records are valid UTF-8), noted so that report_build refuses a document
 * that would lack a line. */
static char *
fold(const char *s)
{
	char *f = text_fold(s != NULL ? s : "");

	if (f == NULL)
		err_alloc_failed();
	return f;
}

static char *
upper(const char *s)
{
	char *u = text_upper(s != NULL ? s : "");

	if (u == NULL)
		err_alloc_failed();
	return u;
}

static void
copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "");
}

static void
upper_into(char *dst, size_t len, const char *src)
{
	char *u = upper(src);

	copy(dst, len, u);
	free(u);
}

/* Byte offset of word n (0-based) in s, words split by spaces; strlen(s)
 * past the last. */
static size_t
word_at(const char *s, size_t n)
{
	size_t i = 0;

	while (s[i] == ' ')
		i++;
	while (n > 0 && s[i] != '\0') {
		while (s[i] != '\0' && s[i] != ' ')
			i++;
		while (s[i] == ' ')
			i++;
		n--;
	}
	return i;
}

/* Does folded f start with the folded words w (whole words)? */
static bool
starts_words(const char *f, const char *w)
{
	size_t n = strlen(w);

	return strncmp(f, w, n) == 0 && (f[n] == '\0' || f[n] == ' ');
}

/* Index of the first word (> 0) where the place of a body's name starts
 * ("Ủy ban nhân dân huyện Si Ma Cai" -> 4), or 0 when none. */
static size_t
place_start(const char *name)
{
	char *f = fold(name);
	size_t w = 0, off, k, found = 0;

	if (f == NULL)
		return 0;
	for (w = 1; found == 0 && f[off = word_at(f, w)] != '\0'; w++)
		for (k = 0; k < sizeof(place_words) / sizeof(place_words[0]); k++)
			/* a place word is written lower case ("tỉnh Sơn La");
			 * "Xã hội" in "Sở Lao động - Thương binh và Xã hội" is
			 * no place */
			if (starts_words(f + off, place_words[k]) &&
			    islower((unsigned char)name[word_at(name, w)])) {
				found = w;
				break;
			}
	free(f);
	return found;
}

/* Initials of the words of name before its place, capitals: "Sở Nội vụ
 * tỉnh Sơn La" -> "SNV". */
static void
initials(const char *name, char *dst, size_t len)
{
	size_t stop = place_start(name), w, o = 0, off;
	char *up = upper(name);

	dst[0] = '\0';
	if (up == NULL)
		return;
	for (w = 0; (stop == 0 || w < stop) && up[off = word_at(up, w)] != '\0'; w++) {
		size_t cl = 1;
		unsigned char c = (unsigned char)up[off];
		if (c >= 0xF0)
			cl = 4;
		else if (c >= 0xE0)
			cl = 3;
		else if (c >= 0xC0)
			cl = 2;
		if (c == '-' || c == '(')
			continue;
		if (o + cl + 1 > len)
			break;
		memcpy(dst + o, up + off, cl);
		o += cl;
	}
	dst[o] = '\0';
	free(up);
}

/* The name in capitals, its place on a second line when split. */
static void
name_lines(const char *name, enum name_form form, char *dst, size_t len)
{
	size_t w = form == NF_WHOLE ? 0 : place_start(name), off;
	char head[REPORT_LINE_MAX];

	if (w == 0) {
		upper_into(dst, len, name);
		return;
	}
	off = word_at(name, w);
	snprintf(head, sizeof(head), "%.*s", (int)off, name);
	while (*head && head[strlen(head) - 1] == ' ')
		head[strlen(head) - 1] = '\0';
	if (form == NF_NOPLACE) {
		upper_into(dst, len, head);
		return;
	}
	{
		char a[REPORT_LINE_MAX], b[REPORT_LINE_MAX];
		upper_into(a, sizeof(a), head);
		upper_into(b, sizeof(b), name + off);
		/* a name longer than a line is cut, as upper_into cuts it */
		if (snprintf(dst, len, "%s\n%s", a, b) >= (int)len)
			dst[len - 1] = '\0';
	}
}

static const struct party_body *
party_body_of(const char *name)
{
	char *f = fold(name);
	size_t i;

	for (i = 0; f != NULL && i < sizeof(party_bodies) / sizeof(party_bodies[0]); i++)
		if (starts_words(f, party_bodies[i].prefix)) {
			free(f);
			return &party_bodies[i];
		}
	free(f);
	return NULL;
}

/* "ĐẢNG BỘ TỈNH LÀO CAI" from the committee "Tỉnh ủy Lào Cai"; "" when
 * the committee is not one the table knows. */
static void
branch_of(const json_t *committee, char *dst, size_t len)
{
	const char *name = jrec_str(committee, FLD_ORGANISATION_NAME);
	const struct party_body *pb = party_body_of(name);
	char line[REPORT_LINE_MAX];

	dst[0] = '\0';
	if (pb == NULL || pb->role != PR_COMMITTEE)
		return;
	if (pb->level != NULL)
		snprintf(line, sizeof(line), "Đảng bộ %s %s", pb->level,
		    name + word_at(name, pb->words));
	else /* "Đảng ủy xã X" -> "Đảng bộ xã X" */
		snprintf(line, sizeof(line), "Đảng bộ %s", name + word_at(name, pb->words));
	upper_into(dst, len, line);
}

/* The rest of an organ's name once its committee's name is cut off the
 * end ("Ban Tổ chức Tỉnh ủy Lào Cai" -> "Ban Tổ chức"). */
static void
organ_name(const char *name, const char *committee, char *dst, size_t len)
{
	char *fn = fold(name), *fc = fold(committee);
	size_t w;

	copy(dst, len, name);
	if (fn != NULL && fc != NULL && *fc != '\0' && strlen(fn) > strlen(fc) &&
	    strcmp(fn + strlen(fn) - strlen(fc), fc) == 0) {
		/* the same number of words in the folded and the NFC name */
		size_t words = 0, i;
		for (i = 0; fn[i] != '\0' && i < strlen(fn) - strlen(fc); i++)
			if (fn[i] == ' ')
				words++;
		w = word_at(name, words);
		snprintf(dst, len, "%.*s", (int)w, name);
		while (*dst && dst[strlen(dst) - 1] == ' ')
			dst[strlen(dst) - 1] = '\0';
	}
	free(fn);
	free(fc);
}

/* ---- the issuing body --------------------------------------------------------- */

static const struct org_style *
style_of(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(styles) / sizeof(styles[0]); i++)
		if (strcmp(styles[i].kind, kind) == 0)
			return &styles[i];
	return &style_other;
}

static void
party_issuer(const json_t *const *chain, size_t n, struct report_issuer *out)
{
	const json_t *org = chain[0], *parent = n > 1 ? chain[1] : NULL;
	const json_t *grand = n > 2 ? chain[2] : NULL;
	const struct party_body *pb = party_body_of(jrec_str(org, FLD_ORGANISATION_NAME));
	const struct party_body *ppb = parent ?
	    party_body_of(jrec_str(parent, FLD_ORGANISATION_NAME)) : NULL;
	char line[REPORT_LINE_MAX];

	if (pb == NULL) { /* a party body the table does not know */
		upper_into(out->issuer, sizeof(out->issuer), jrec_str(org, FLD_ORGANISATION_NAME));
		if (parent != NULL)
			upper_into(out->parent, sizeof(out->parent), jrec_str(parent, FLD_ORGANISATION_NAME));
		initials(jrec_str(org, FLD_ORGANISATION_NAME), out->abbr, sizeof(out->abbr));
		copy(out->title, sizeof(out->title), "BÍ THƯ");
		return;
	}
	copy(out->authority, sizeof(out->authority), pb->authority);
	copy(out->title, sizeof(out->title), pb->title);
	switch (pb->role) {
	case PR_COMMITTEE:
		upper_into(out->issuer, sizeof(out->issuer), jrec_str(org, FLD_ORGANISATION_NAME));
		if (parent != NULL)
			branch_of(parent, out->parent, sizeof(out->parent));
		copy(out->abbr, sizeof(out->abbr), pb->abbr);
		break;
	case PR_STANDING:
		/* issued under the committee's name and symbol */
		if (parent != NULL && ppb != NULL && ppb->role == PR_COMMITTEE) {
			upper_into(out->issuer, sizeof(out->issuer), jrec_str(parent, FLD_ORGANISATION_NAME));
			if (grand != NULL)
				branch_of(grand, out->parent, sizeof(out->parent));
			copy(out->abbr, sizeof(out->abbr), ppb->abbr);
		} else {
			upper_into(out->issuer, sizeof(out->issuer), jrec_str(org, FLD_ORGANISATION_NAME));
		}
		break;
	case PR_ORGAN:
		organ_name(jrec_str(org, FLD_ORGANISATION_NAME),
		    parent ? jrec_str(parent, FLD_ORGANISATION_NAME) : NULL,
		    line, sizeof(line));
		upper_into(out->issuer, sizeof(out->issuer), line);
		if (parent != NULL)
			upper_into(out->parent, sizeof(out->parent), jrec_str(parent, FLD_ORGANISATION_NAME));
		if (pb->abbr != NULL)
			copy(out->abbr, sizeof(out->abbr), pb->abbr);
		else
			initials(line, out->abbr, sizeof(out->abbr));
		if (ppb != NULL && ppb->abbr != NULL) /* "UBKT" + "TU" */
			snprintf(out->abbr + strlen(out->abbr),
			    sizeof(out->abbr) - strlen(out->abbr), "%s", ppb->abbr);
		break;
	}
}

int
report_issuer_of(const json_t *const *chain, size_t n, struct report_issuer *out)
{
	const json_t *org = n > 0 ? chain[0] : NULL, *parent = n > 1 ? chain[1] : NULL;
	const struct org_style *st;
	const char *sn;

	memset(out, 0, sizeof(*out));
	if (org == NULL || jrec_str(org, FLD_ORGANISATION_NAME) == NULL)
		return -1;
	st = style_of(jrec_str(org, FLD_ORGANISATION_KIND));
	out->layout = &report_layouts[st->layout];
	out->place_province = st->place_province;
	if (st->form == NF_PARTY) {
		party_issuer(chain, n, out);
	} else {
		name_lines(jrec_str(org, FLD_ORGANISATION_NAME), st->form, out->issuer,
		    sizeof(out->issuer));
		if (st->sup == SUP_FIXED)
			copy(out->parent, sizeof(out->parent), st->fixed_sup);
		else if (st->sup == SUP_PARENT && parent != NULL) {
			sn = jrec_str(parent, FLD_ORGANISATION_SHORT_NAME);
			upper_into(out->parent, sizeof(out->parent), sn && *sn ? sn :
			    jrec_str(parent, FLD_ORGANISATION_NAME));
		}
		sn = jrec_str(org, FLD_ORGANISATION_SHORT_NAME);
		if (st->abbr != NULL)
			copy(out->abbr, sizeof(out->abbr), st->abbr);
		else if (sn != NULL && *sn && strchr(sn, ' ') == NULL)
			copy(out->abbr, sizeof(out->abbr), sn);
		else
			initials(jrec_str(org, FLD_ORGANISATION_NAME), out->abbr,
			    sizeof(out->abbr));
		copy(out->authority, sizeof(out->authority), st->authority);
		copy(out->title, sizeof(out->title), st->title);
	}
	/* who a report goes up to: the superior body ("Kính gửi") */
	if (parent != NULL && jrec_str(parent, FLD_ORGANISATION_NAME) != NULL) {
		const struct party_body *pb = party_body_of(jrec_str(org, FLD_ORGANISATION_NAME));
		const json_t *up = parent;
		if (out->layout == &report_layouts[LAYOUT_PARTY] && pb != NULL &&
		    pb->role == PR_STANDING)
			up = n > 2 ? chain[2] : NULL; /* the committee's superior */
		if (up != NULL && out->layout == &report_layouts[LAYOUT_PARTY] &&
		    party_body_of(jrec_str(up, FLD_ORGANISATION_NAME)) != NULL &&
		    party_body_of(jrec_str(up, FLD_ORGANISATION_NAME))->role == PR_COMMITTEE)
			snprintf(out->addressee, sizeof(out->addressee),
			    "Ban Thường vụ %s", jrec_str(up, FLD_ORGANISATION_NAME));
		else if (up != NULL)
			copy(out->addressee, sizeof(out->addressee), jrec_str(up, FLD_ORGANISATION_NAME));
	}
	/* the file copy: D30 "Lưu: VT."; a Party body's office [U2] */
	if (out->layout == &report_layouts[LAYOUT_PARTY])
		snprintf(out->archive, sizeof(out->archive), "Lưu Văn phòng.");
	else
		copy(out->archive, sizeof(out->archive), "Lưu: VT.");
	if (out->abbr[0] == '\0')
		copy(out->abbr, sizeof(out->abbr), "VP");
	return 0;
}

void
report_symbol(const struct report_layout *l, const char *type,
    const struct report_issuer *is, char *buf, size_t len)
{
	snprintf(buf, len, "%s%c%s", type, l->symbol_sep, is->abbr);
}

void
report_number_text(const struct report_layout *l, int64_t number,
    const char *symbol, char *buf, size_t len)
{
	/* a draft leaves the number blank for the clerk (D30 §2.4: given
	 * when signed), never a record id */
	if (number > 0)
		snprintf(buf, len, "Số%s %02lld%c%s", l->number_colon ? ":" : "",
		    (long long)number, l->number_sep, symbol);
	else
		snprintf(buf, len, "Số%s      %c%s", l->number_colon ? ":" : "",
		    l->number_sep, symbol);
}

/* ---- numbering ------------------------------------------------------------ */

static const char *const romans[] = { "I", "II", "III", "IV", "V", "VI", "VII",
	"VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
	"XVIII", "XIX", "XX" };
/* D30 §2.7: the Vietnamese alphabet, no f, j, w, z */
static const char *const letters[] = { "a", "b", "c", "d", "đ", "e", "g", "h",
	"i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y" };

void
report_roman(size_t n, char *buf, size_t len)
{
	if (n >= 1 && n <= sizeof(romans) / sizeof(romans[0]))
		snprintf(buf, len, "%s", romans[n - 1]);
	else
		snprintf(buf, len, "%zu", n);
}

void
report_number_sections(json_t *doc)
{
	json_t *sec, *blk;
	size_t i, j, k = 0;
	char num[16], line[REPORT_LINE_MAX * 2];

	json_array_foreach(json_object_get(doc, "sections"), i, sec) {
		const char *h = json_string_value(json_object_get(sec, DOC_HEADING));
		size_t item = 0, point = 0;
		if (h != NULL) {
			char *up = upper(h);
			report_roman(++k, num, sizeof(num));
			snprintf(line, sizeof(line), "%s. %s", num, up ? up : h);
			free(up);
			json_object_set_new(sec, DOC_HEADING, json_string(line));
		}
		json_array_foreach(json_object_get(sec, "blocks"), j, blk) {
			const char *t = json_string_value(json_object_get(blk, DOC_TYPE));
			const char *text = json_string_value(json_object_get(blk, DOC_TEXT));
			if (t == NULL || text == NULL)
				continue;
			if (strcmp(t, DOC_BLOCK_HEADING) == 0) {
				point = 0;
				snprintf(line, sizeof(line), "%zu. %s", ++item, text);
				json_object_set_new(blk, DOC_TEXT, json_string(line));
			} else if (strcmp(t, "subheading") == 0 &&
			    point < sizeof(letters) / sizeof(letters[0])) {
				snprintf(line, sizeof(line), "%s) %s", letters[point++], text);
				json_object_set_new(blk, DOC_TEXT, json_string(line));
				json_object_set_new(blk, DOC_TYPE, json_string(DOC_BLOCK_HEADING));
			}
		}
	}
}
