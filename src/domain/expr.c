/*
 * expr.c - computed indicators: parser, checker and evaluator of the small
 * formula language described in expr.h.
 *
 * The parser reads the text once into a fixed-size tree (struct ast, on the
 * heap, no pointers into the text: values are copied into a pool).  Checking
 * and evaluation share it.  Evaluation reads records only through
 * store_list/store_get; filters that the store can apply (one value, own
 * field) are handed to it, and every filter is applied again here with the
 * scope and period, so the result never depends on what was pushed down.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/expr.h"
#include "schema/record.h"
#include "schema/registry.h"
#include "text/text.h"

#define IDENT_MAX   64   /* bytes of an entity or field name         */
#define NUMBER_MAX  40   /* bytes of a number literal                 */
#define POOL_MAX    (EXPR_TEXT_MAX + EXPR_CALLS_MAX * EXPR_FILTERS_MAX * \
                     EXPR_ALTS_MAX + 16)
#define CACHE_KEY_MAX 96

/* ---- the tree ------------------------------------------------------------ */

enum node_kind { N_NUM, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_CALL };

struct node {
	enum node_kind kind;
	double num;
	int a, b;     /* operands (node indexes)  */
	int call;     /* N_CALL: index in calls   */
	size_t pos;   /* byte offset in the text  */
};

enum fop { F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, F_CONTAINS };

/* A field of the call's entity, or of the record one reference away. */
struct path {
	const struct field_def *via;    /* reference field followed, or NULL */
	const struct entity_def *owner; /* entity the field belongs to       */
	const struct field_def *field;  /* NULL when unresolved              */
};

struct filter {
	struct path path;
	enum fop op;
	size_t nvals;
	size_t val[EXPR_ALTS_MAX];      /* offsets in the pool               */
	bool is_null[EXPR_ALTS_MAX];
	size_t pos;
};

enum call_kind { C_COUNT, C_SUM, C_OVERDUE };

struct call {
	enum call_kind kind;
	const struct entity_def *ent;
	struct path sum;                /* C_SUM */
	struct filter filters[EXPR_FILTERS_MAX];
	size_t nfilters;
	size_t pos;
};

struct ast {
	struct node nodes[EXPR_NODES_MAX];
	size_t nnodes;
	struct call calls[EXPR_CALLS_MAX];
	size_t ncalls;
	char pool[POOL_MAX];
	size_t pool_len;
	int root;
};

/* Pseudo-fields every record has. */
static const struct field_def f_id = { "id", FT_INTEGER, "Mã số", 0, 0, 0, NULL };
static const struct field_def f_illustrative = { "illustrative", FT_BOOLEAN,
	"Minh họa", 0, 0, 0, NULL };

/* ---- parser -------------------------------------------------------------- */

struct parser {
	const char *src;
	size_t len;
	size_t pos;
	int depth;
	struct ast *ast;
	struct expr_diag *diags;
	size_t maxdiags;
	size_t ndiags;  /* errors found (may exceed maxdiags) */
	bool broken;    /* unrecoverable syntax error          */
};

/* Characters (not bytes) before byte offset off, plus one. */
static size_t
char_pos(const char *s, size_t off)
{
	size_t i, n = 1;

	for (i = 0; i < off && s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static void diag(struct parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
diag(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (p->ndiags < p->maxdiags && p->diags != NULL) {
		struct expr_diag *d = &p->diags[p->ndiags];
		d->pos = char_pos(p->src, at);
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	p->ndiags++;
}

/* A syntax error: reported, and parsing of the current construct stops. */
static int syntax(struct parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
syntax(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[EXPR_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(p, at, "%s", msg);
	return -1;
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len && isspace((unsigned char)p->src[p->pos]))
		p->pos++;
}

static int
peek(struct parser *p)
{
	skip_ws(p);
	return p->pos < p->len ? (unsigned char)p->src[p->pos] : 0;
}

static bool
ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* Read an identifier into buf; 0, or -1 (reported) when there is none. */
static int
read_ident(struct parser *p, char *buf, size_t len, const char *what)
{
	size_t start, n;

	skip_ws(p);
	start = p->pos;
	if (p->pos >= p->len || !ident_start((unsigned char)p->src[p->pos])) {
		if (p->pos >= p->len)
			return syntax(p, start, "thiếu %s: công thức kết thúc quá sớm",
			    what);
		return syntax(p, start, "thiếu %s", what);
	}
	while (p->pos < p->len && ident_char((unsigned char)p->src[p->pos]))
		p->pos++;
	n = p->pos - start;
	if (n >= len)
		return syntax(p, start, "tên quá dài");
	memcpy(buf, p->src + start, n);
	buf[n] = '\0';
	return 0;
}

static int
expect(struct parser *p, char c)
{
	if (peek(p) != (unsigned char)c) {
		if (p->pos >= p->len)
			return syntax(p, p->pos, "thiếu '%c': công thức kết thúc quá sớm", c);
		return syntax(p, p->pos, "thiếu '%c'", c);
	}
	p->pos++;
	return 0;
}

static int
new_node(struct parser *p, enum node_kind k, size_t pos)
{
	struct node *n;

	if (p->ast->nnodes >= EXPR_NODES_MAX) {
		syntax(p, pos, "công thức quá dài (tối đa %d phần tử)", EXPR_NODES_MAX);
		return -1;
	}
	n = &p->ast->nodes[p->ast->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->pos = pos;
	n->a = n->b = n->call = -1;
	return (int)p->ast->nnodes++;
}

/* Copy n bytes into the pool; returns the offset. */
static size_t
pool_add(struct ast *a, const char *s, size_t n)
{
	size_t off = a->pool_len;

	/* cannot happen (the pool holds the whole text and one NUL per
	 * value), but stay in bounds: the last byte is always NUL */
	if (off >= sizeof(a->pool) - 1)
		return sizeof(a->pool) - 1;
	if (n > sizeof(a->pool) - 1 - off - 1)
		n = sizeof(a->pool) - 1 - off - 1;
	memcpy(a->pool + off, s, n);
	a->pool[off + n] = '\0';
	a->pool_len = off + n + 1;
	return off;
}

/* ---- names against the registry ----------------------------------------- */

static const struct field_def *
expr_field(const struct entity_def *ent, const char *name)
{
	if (strcmp(name, "id") == 0)
		return &f_id;
	if (strcmp(name, "illustrative") == 0)
		return &f_illustrative;
	return entity_field(ent, name);
}

static const struct entity_def *
usable_entity(struct parser *p, const char *name, size_t at)
{
	const struct entity_def *ent = registry_find(name);

	if (ent == NULL) {
		diag(p, at, "không có loại bản ghi '%s'", name);
		return NULL;
	}
	if (ent->flags & E_ADMIN) {
		diag(p, at, "không dùng được bản ghi quản trị '%s' trong công thức",
		    name);
		return NULL;
	}
	return ent;
}

static const struct field_def *
usable_field(struct parser *p, const struct entity_def *ent, const char *name,
    size_t at)
{
	const struct field_def *f = expr_field(ent, name);

	if (f == NULL) {
		diag(p, at, "'%s' không có trường '%s'", ent->name, name);
		return NULL;
	}
	if (f->flags & F_SECRET) {
		diag(p, at, "không dùng được trường '%s' trong công thức", name);
		return NULL;
	}
	return f;
}

/* The reference field of ent named `name`, or the first one referencing
 * the entity `name`. */
static const struct field_def *
ref_field(const struct entity_def *ent, const char *name)
{
	const struct field_def *f = entity_field(ent, name);
	size_t i;

	if (f != NULL && f->type == FT_REF)
		return f;
	for (i = 0; i < ent->nfields; i++)
		if (ent->fields[i].type == FT_REF &&
		    strcmp(ent->fields[i].arg, name) == 0)
			return &ent->fields[i];
	return NULL;
}

/* Resolve "field" or "parent.field" read at [at]; ent may be NULL (then
 * only the syntax is read). */
static int
parse_path(struct parser *p, const struct entity_def *ent, struct path *out,
    const char *what)
{
	char a[IDENT_MAX], b[IDENT_MAX];
	size_t at, at2;
	bool two = false;

	memset(out, 0, sizeof(*out));
	skip_ws(p);
	at = p->pos;
	if (read_ident(p, a, sizeof(a), what) != 0)
		return -1;
	at2 = p->pos;
	if (p->pos < p->len && p->src[p->pos] == '.') {
		p->pos++;
		at2 = p->pos;
		if (read_ident(p, b, sizeof(b), "tên trường sau '.'") != 0)
			return -1;
		two = true;
	}
	if (ent == NULL)
		return 0;
	if (!two) {
		out->owner = ent;
		out->field = usable_field(p, ent, a, at);
		return 0;
	}
	out->via = ref_field(ent, a);
	if (out->via == NULL) {
		diag(p, at, "'%s' không tham chiếu tới '%s'", ent->name, a);
		return 0;
	}
	out->owner = usable_entity(p, out->via->arg, at);
	if (out->owner != NULL)
		out->field = usable_field(p, out->owner, b, at2);
	return 0;
}

/* ---- filters -------------------------------------------------------------- */

static const char *const fop_text[] = {
	[F_EQ] = "=", [F_NE] = "!=", [F_LT] = "<", [F_LE] = "<=", [F_GT] = ">",
	[F_GE] = ">=", [F_CONTAINS] = "~",
};

static int
parse_op(struct parser *p, enum fop *op)
{
	const char *s;

	skip_ws(p);
	s = p->src + p->pos;
	if (p->pos + 1 < p->len && s[0] == '!' && s[1] == '=') {
		*op = F_NE;
		p->pos += 2;
	} else if (p->pos + 1 < p->len && s[0] == '<' && s[1] == '=') {
		*op = F_LE;
		p->pos += 2;
	} else if (p->pos + 1 < p->len && s[0] == '>' && s[1] == '=') {
		*op = F_GE;
		p->pos += 2;
	} else if (p->pos < p->len && (s[0] == '=' || s[0] == '<' || s[0] == '>' ||
	    s[0] == '~')) {
		*op = s[0] == '=' ? F_EQ : s[0] == '<' ? F_LT : s[0] == '>' ? F_GT :
		    F_CONTAINS;
		p->pos++;
	} else {
		return syntax(p, p->pos, "thiếu phép so sánh (=, !=, <, <=, >, >=, ~)");
	}
	return 0;
}

/* One value: quoted, or bare up to ',', '|' or ')'. */
static int
parse_value(struct parser *p, struct filter *f)
{
	char tmp[EXPR_TEXT_MAX + 1];
	size_t start, end, n = 0;

	skip_ws(p);
	start = p->pos;
	if (f->nvals >= EXPR_ALTS_MAX)
		return syntax(p, start, "quá nhiều giá trị (tối đa %d)", EXPR_ALTS_MAX);
	if (p->pos < p->len && p->src[p->pos] == '"') {
		p->pos++;
		for (;;) {
			char c;
			if (p->pos >= p->len)
				return syntax(p, start, "thiếu dấu \" đóng chuỗi");
			c = p->src[p->pos++];
			if (c == '"')
				break;
			if (c == '\\' && p->pos < p->len)
				c = p->src[p->pos++];
			if (n < EXPR_TEXT_MAX)
				tmp[n++] = c;
		}
		f->is_null[f->nvals] = false;
		f->val[f->nvals++] = pool_add(p->ast, tmp, n);
		return 0;
	}
	while (p->pos < p->len && p->src[p->pos] != ',' && p->src[p->pos] != '|' &&
	    p->src[p->pos] != ')')
		p->pos++;
	end = p->pos;
	while (end > start && isspace((unsigned char)p->src[end - 1]))
		end--;
	if (end == start)
		return syntax(p, start, "thiếu giá trị");
	if (memchr(p->src + start, '"', end - start) != NULL ||
	    memchr(p->src + start, '(', end - start) != NULL)
		return syntax(p, start, "giá trị có dấu \" hoặc ( phải đặt trong "
		    "ngoặc kép");
	f->is_null[f->nvals] = end - start == 4 &&
	    memcmp(p->src + start, "null", 4) == 0;
	f->val[f->nvals++] = pool_add(p->ast, p->src + start, end - start);
	return 0;
}

static bool
parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcmp(s, "có") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0 ||
	    strcmp(s, "không") == 0) {
		*out = false;
		return true;
	}
	return false;
}

static bool
parse_int(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno == 0 && end != s && *end == '\0';
}

static bool
parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno == 0 && end != s && *end == '\0' && isfinite(*out);
}

static bool
ordered_type(enum field_type t)
{
	return t == FT_INTEGER || t == FT_DECIMAL || t == FT_DATE || t == FT_REF;
}

/* Values against the field's type. */
static void
check_filter(struct parser *p, const struct filter *f)
{
	const struct field_def *fd = f->path.field;
	size_t i;

	if (fd == NULL)
		return;
	if (f->op == F_CONTAINS && fd->type != FT_TEXT && fd->type != FT_CATALOG &&
	    fd->type != FT_ENUM)
		diag(p, f->pos, "phép '~' chỉ dùng cho trường chữ ('%s' là %s)",
		    fd->name, field_type_name(fd->type));
	if (f->op != F_EQ && f->op != F_NE && f->op != F_CONTAINS &&
	    !ordered_type(fd->type))
		diag(p, f->pos, "phép '%s' chỉ dùng cho số và ngày ('%s' là %s)",
		    fop_text[f->op], fd->name, field_type_name(fd->type));
	if ((f->op != F_EQ && f->op != F_NE && f->op != F_CONTAINS) && f->nvals > 1)
		diag(p, f->pos, "phép '%s' chỉ nhận một giá trị", fop_text[f->op]);
	for (i = 0; i < f->nvals; i++) {
		const char *v = p->ast->pool + f->val[i];
		long long ll;
		double d;
		bool b;
		if (f->is_null[i]) {
			if (f->op != F_EQ && f->op != F_NE)
				diag(p, f->pos, "null chỉ dùng với = hoặc !=");
			else if (f->nvals > 1)
				diag(p, f->pos, "null không dùng chung với giá trị khác");
			continue;
		}
		if (f->op == F_CONTAINS)
			continue;
		switch (fd->type) {
		case FT_INTEGER:
		case FT_REF:
			if (!parse_int(v, &ll))
				diag(p, f->pos, "'%s' không phải số nguyên (trường '%s')",
				    v, fd->name);
			break;
		case FT_DECIMAL:
			if (!parse_num(v, &d))
				diag(p, f->pos, "'%s' không phải số (trường '%s')", v,
				    fd->name);
			break;
		case FT_DATE:
			if (!vi_iso_date_valid(v))
				diag(p, f->pos, "'%s' không phải ngày YYYY-MM-DD (trường "
				    "'%s')", v, fd->name);
			break;
		case FT_ENUM:
			if (!enum_has(fd, v))
				diag(p, f->pos, "'%s' không phải giá trị của trường '%s'",
				    v, fd->name);
			break;
		case FT_BOOLEAN:
			if (!parse_bool(v, &b))
				diag(p, f->pos, "'%s' không phải true/false (trường '%s')",
				    v, fd->name);
			break;
		case FT_TEXT:
		case FT_CATALOG:
			break;
		}
	}
}

static int
parse_filter(struct parser *p, struct call *c)
{
	struct filter *f;
	size_t at;

	skip_ws(p);
	at = p->pos;
	if (c->nfilters >= EXPR_FILTERS_MAX)
		return syntax(p, at, "quá nhiều điều kiện lọc (tối đa %d)",
		    EXPR_FILTERS_MAX);
	f = &c->filters[c->nfilters];
	memset(f, 0, sizeof(*f));
	f->pos = at;
	if (parse_path(p, c->ent, &f->path, "tên trường để lọc") != 0 ||
	    parse_op(p, &f->op) != 0 || parse_value(p, f) != 0)
		return -1;
	while (peek(p) == '|') {
		p->pos++;
		if (parse_value(p, f) != 0)
			return -1;
	}
	c->nfilters++;
	if (c->ent != NULL)
		check_filter(p, f);
	return 0;
}

/* After a bad filter: skip to the next ',' or ')' outside quotes. */
static void
recover(struct parser *p)
{
	bool quoted = false;

	while (p->pos < p->len) {
		char ch = p->src[p->pos];
		if (quoted) {
			if (ch == '\\')
				p->pos++;
			else if (ch == '"')
				quoted = false;
		} else if (ch == '"') {
			quoted = true;
		} else if (ch == ',' || ch == ')') {
			return;
		}
		p->pos++;
	}
}

static int parse_expr(struct parser *p);

static int
parse_call(struct parser *p, const char *fname, size_t at)
{
	char ename[IDENT_MAX];
	struct call *c;
	size_t eat;
	int id;

	if (p->ast->ncalls >= EXPR_CALLS_MAX)
		return syntax(p, at, "quá nhiều hàm trong một công thức (tối đa %d)",
		    EXPR_CALLS_MAX);
	c = &p->ast->calls[p->ast->ncalls];
	memset(c, 0, sizeof(*c));
	c->pos = at;
	if (strcmp(fname, "count") == 0)
		c->kind = C_COUNT;
	else if (strcmp(fname, "sum") == 0)
		c->kind = C_SUM;
	else if (strcmp(fname, "overdue") == 0)
		c->kind = C_OVERDUE;
	else
		return syntax(p, at, "không có hàm '%s' (dùng count, sum, overdue)",
		    fname);
	if (expect(p, '(') != 0)
		return -1;
	skip_ws(p);
	eat = p->pos;
	if (read_ident(p, ename, sizeof(ename), "loại bản ghi") != 0)
		return -1;
	c->ent = usable_entity(p, ename, eat);
	if (c->kind == C_OVERDUE && c->ent != NULL &&
	    c->ent->id != ENT_TASK) {
		diag(p, eat, "overdue() chỉ dùng cho 'task'");
		c->ent = NULL;
	}
	if (c->kind == C_SUM) {
		char fld[IDENT_MAX];
		size_t fat;
		if (expect(p, '.') != 0)
			return -1;
		skip_ws(p);
		fat = p->pos;
		if (read_ident(p, fld, sizeof(fld), "trường cần cộng") != 0)
			return -1;
		if (c->ent != NULL) {
			c->sum.owner = c->ent;
			c->sum.field = usable_field(p, c->ent, fld, fat);
			if (c->sum.field != NULL && c->sum.field->type != FT_INTEGER &&
			    c->sum.field->type != FT_DECIMAL) {
				diag(p, fat, "sum() cần trường số ('%s' là %s)", fld,
				    field_type_name(c->sum.field->type));
				c->sum.field = NULL;
			}
		}
	}
	for (;;) {
		int ch = peek(p);
		if (ch == ')') {
			p->pos++;
			break;
		}
		if (ch != ',') {
			if (p->pos >= p->len)
				return syntax(p, p->pos, "thiếu ')': công thức kết thúc quá sớm");
			return syntax(p, p->pos, "thiếu ',' hoặc ')'");
		}
		p->pos++;
		if (parse_filter(p, c) != 0) {
			recover(p);
			if (p->pos >= p->len)
				return -1;
		}
	}
	p->ast->ncalls++;
	id = new_node(p, N_CALL, at);
	if (id < 0)
		return -1;
	p->ast->nodes[id].call = (int)p->ast->ncalls - 1;
	return id;
}

/* Bytes of the UTF-8 character starting with lead byte c (text is valid). */
static int
utf8_len(int c, size_t left)
{
	int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

	return (size_t)n > left ? (int)left : n;
}

static int
parse_primary(struct parser *p)
{
	int ch = peek(p);
	size_t at = p->pos;

	if (ch == '(') {
		int id;
		p->pos++;
		id = parse_expr(p);
		if (id < 0 || expect(p, ')') != 0)
			return -1;
		return id;
	}
	if ((ch >= '0' && ch <= '9') || ch == '.') {
		char num[NUMBER_MAX];
		size_t n;
		int id;
		while (p->pos < p->len && (isdigit((unsigned char)p->src[p->pos]) ||
		    p->src[p->pos] == '.'))
			p->pos++;
		n = p->pos - at;
		if (p->pos < p->len && ident_char((unsigned char)p->src[p->pos]))
			return syntax(p, at, "số không hợp lệ");
		if (n >= sizeof(num))
			return syntax(p, at, "số quá dài");
		memcpy(num, p->src + at, n);
		num[n] = '\0';
		if (num[0] == '.' || num[n - 1] == '.' || strchr(num, '.') !=
		    strrchr(num, '.'))
			return syntax(p, at, "số '%s' không hợp lệ (dấu thập phân là '.')",
			    num);
		id = new_node(p, N_NUM, at);
		if (id < 0)
			return -1;
		p->ast->nodes[id].num = strtod(num, NULL);
		return id;
	}
	if (ident_start(ch)) {
		char name[IDENT_MAX];
		if (read_ident(p, name, sizeof(name), "tên hàm") != 0)
			return -1;
		return parse_call(p, name, at);
	}
	if (ch == 0)
		return syntax(p, at, "công thức kết thúc quá sớm: thiếu số hoặc hàm");
	return syntax(p, at, "không hiểu ký tự '%.*s': cần số, '(' hoặc hàm",
	    utf8_len(ch, p->len - at), p->src + at);
}

static int
parse_unary(struct parser *p)
{
	int ch = peek(p);
	size_t at = p->pos;
	int id, a;

	if (++p->depth > EXPR_DEPTH_MAX)
		return syntax(p, at, "công thức lồng quá sâu (tối đa %d)",
		    EXPR_DEPTH_MAX);
	if (ch == '-') {
		p->pos++;
		a = parse_unary(p);
		if (a < 0)
			return -1;
		id = new_node(p, N_NEG, at);
		if (id < 0)
			return -1;
		p->ast->nodes[id].a = a;
	} else {
		id = parse_primary(p);
	}
	p->depth--;
	return id;
}

static int
parse_term(struct parser *p)
{
	int a = parse_unary(p);

	while (a >= 0) {
		int ch = peek(p), b, id;
		size_t at = p->pos;
		if (ch != '*' && ch != '/')
			break;
		p->pos++;
		b = parse_unary(p);
		if (b < 0)
			return -1;
		id = new_node(p, ch == '*' ? N_MUL : N_DIV, at);
		if (id < 0)
			return -1;
		p->ast->nodes[id].a = a;
		p->ast->nodes[id].b = b;
		a = id;
	}
	return a;
}

static int
parse_expr(struct parser *p)
{
	int a;

	if (++p->depth > EXPR_DEPTH_MAX)
		return syntax(p, p->pos, "công thức lồng quá sâu (tối đa %d)",
		    EXPR_DEPTH_MAX);
	a = parse_term(p);
	while (a >= 0) {
		int ch = peek(p), b, id;
		size_t at = p->pos;
		if (ch != '+' && ch != '-')
			break;
		p->pos++;
		b = parse_term(p);
		if (b < 0)
			return -1;
		id = new_node(p, ch == '+' ? N_ADD : N_SUB, at);
		if (id < 0)
			return -1;
		p->ast->nodes[id].a = a;
		p->ast->nodes[id].b = b;
		a = id;
	}
	p->depth--;
	return a;
}

/* Parse and check; returns the number of errors and a tree in *out.  0
 * errors with *out NULL: the tree could not be allocated. */
static size_t
parse(const char *text, struct expr_diag *diags, size_t max, struct ast **out)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	*out = NULL;
	p.src = text != NULL ? text : "";
	p.len = strlen(p.src);
	p.diags = diags;
	p.maxdiags = max;
	if (p.len > EXPR_TEXT_MAX) {
		diag(&p, EXPR_TEXT_MAX, "công thức dài quá %d byte", EXPR_TEXT_MAX);
		return p.ndiags;
	}
	if (!text_valid_utf8(p.src, p.len)) {
		diag(&p, 0, "công thức không phải UTF-8 hợp lệ");
		return p.ndiags;
	}
	p.ast = calloc(1, sizeof(*p.ast));
	if (p.ast == NULL)
		return 0; /* not an error of the formula's */
	if (peek(&p) == 0) {
		diag(&p, 0, "công thức trống");
	} else {
		p.ast->root = parse_expr(&p);
		if (p.ast->root >= 0 && peek(&p) != 0)
			syntax(&p, p.pos, "thừa ký tự sau biểu thức: cần toán tử "
			    "+, -, *, /");
	}
	if (p.ndiags > 0) {
		free(p.ast);
		return p.ndiags;
	}
	*out = p.ast;
	return 0;
}

size_t
expr_diagnose(const char *text, struct expr_diag *out, size_t max)
{
	struct ast *a;
	size_t n = parse(text, out, max, &a);

	if (n == 0 && a == NULL)
		return EXPR_NO_MEMORY;
	free(a);
	return n;
}

/* Append s cut at a character boundary so that the result stays below cap. */
static void
add_capped(struct buf *b, const char *s, size_t cap)
{
	size_t room, n = strlen(s);

	if (b->len + 1 >= cap)
		return;
	room = cap - 1 - b->len;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	buf_add(b, s, n);
}

static int
report(struct err *e, const struct expr_diag *d, size_t shown, size_t total)
{
	char head[64];
	struct buf b;
	size_t i;

	buf_init(&b, ERR_MSG_MAX);
	snprintf(head, sizeof(head), "công thức có %zu lỗi: ", total);
	add_capped(&b, head, ERR_MSG_MAX);
	for (i = 0; i < shown; i++) {
		char one[EXPR_DIAG_MSG_MAX + 32];
		snprintf(one, sizeof(one), "%svị trí %zu: %s", i > 0 ? "; " : "",
		    d[i].pos, d[i].msg);
		add_capped(&b, one, ERR_MSG_MAX);
	}
	err_field(e, field_name(FLD_INDICATOR_EXPRESSION), "%s", buf_str(&b));
	err_set(e, ERR_INVALID, "%s", buf_str(&b));
	buf_free(&b);
	return -1;
}

int
expr_check(const char *text, struct err *e)
{
	struct expr_diag d[EXPR_DIAGS_MAX];
	size_t n = expr_diagnose(text, d, EXPR_DIAGS_MAX);

	if (n == 0)
		return 0;
	if (n == EXPR_NO_MEMORY)
		return err_nomem(e);
	return report(e, d, n < EXPR_DIAGS_MAX ? n : EXPR_DIAGS_MAX, n);
}

/* ---- store helpers ------------------------------------------------------- */

int
expr_list_each(struct store *s, const struct entity_def *ent,
    const struct list_query *q, size_t max_rows, expr_row_fn fn, void *ctx,
    struct err *e)
{
	struct list_query page = *q;
	size_t seen = 0;

	page.limit = LIST_LIMIT_MAX;
	page.offset = 0;
	for (;;) {
		json_t *rows = NULL, *row;
		size_t i, n;
		int rc = 0;
		if (store_list(s, ent, &page, &rows, NULL, e) != 0)
			return -1;
		n = json_array_size(rows);
		json_array_foreach(rows, i, row) {
			if (++seen > max_rows) {
				json_decref(rows);
				return err_set(e, ERR_TOO_LARGE, "quá nhiều bản ghi '%s' "
				    "(tối đa %zu)", ent->label, max_rows);
			}
			rc = fn(ctx, row, e);
			if (rc != 0)
				break;
		}
		json_decref(rows);
		if (rc < 0)
			return -1;
		if (rc > 0 || n < (size_t)LIST_LIMIT_MAX)
			return 0;
		page.offset += LIST_LIMIT_MAX;
	}
}

/* ---- evaluation ----------------------------------------------------------- */

enum pmode { P_NONE, P_WITHIN, P_AS_OF };

struct date_rule {
	enum entity_id entity;
	enum field_id field;
	enum pmode mode;
};

/* Which date puts a record in a period (see expr.h). */
static const struct date_rule date_rules[] = {
	{ ENT_ACTIVITY, FLD_ACTIVITY_START_ON, P_WITHIN },
	{ ENT_MEETING, FLD_MEETING_HELD_ON, P_WITHIN },
	{ ENT_INCIDENT, FLD_INCIDENT_OCCURRED_ON, P_WITHIN },
	{ ENT_TASK, FLD_TASK_ASSIGNED_ON, P_WITHIN },
	{ ENT_DOCUMENT, FLD_DOCUMENT_ISSUED_ON, P_WITHIN },
	{ ENT_COMMENDATION, FLD_COMMENDATION_AWARDED_ON, P_WITHIN },
	{ ENT_RECOMMENDATION, FLD_RECOMMENDATION_RAISED_ON, P_WITHIN },
	{ ENT_SUPERVISION, FLD_SUPERVISION_STARTED_ON, P_WITHIN },
	{ ENT_INCIDENT_SHARE, FLD_INCIDENT_SHARE_SHARED_ON, P_WITHIN },
	{ ENT_AGREEMENT, FLD_AGREEMENT_SIGNED_ON, P_AS_OF },
	{ ENT_PROGRAM, FLD_PROGRAM_START_ON, P_AS_OF },
	{ ENT_SELF_MGMT_GROUP, FLD_SELF_MGMT_GROUP_ESTABLISHED_ON, P_AS_OF },
	{ ENT_SELF_MGMT_HOUSEHOLD, FLD_SELF_MGMT_HOUSEHOLD_SIGNED_ON, P_AS_OF },
};

struct evalctx {
	struct store *s;
	const struct ast *ast;
	const char *text;
	int64_t scope;
	bool has_period;
	struct vi_period period;
	char ref_date[11]; /* overdue(): the reference date */
	json_t *records;   /* "entity#id" -> record (cache)  */
	json_t *units;     /* "id" -> true/false (within scope) */
	size_t rows;       /* rows read so far               */
	struct err *e;
	/* a lookup behind a filter failed (e says why): the value would be
	 * wrong, so the evaluation fails */
	bool failed;
};

/* Note that a lookup could not be made; lost: its error, when any. */
static void
lookup_failed(struct evalctx *x, struct err *lost)
{
	if (!x->failed) {
		if (lost != NULL && lost->code != ERR_NONE)
			err_set(x->e, lost->code, "%s", lost->msg);
		else
			err_nomem(x->e);
	}
	x->failed = true;
}

/* A record by entity and id, cached; borrowed; NULL when missing or
 * confidential. */
static json_t *
cached_record(struct evalctx *x, const struct entity_def *ent, int64_t id)
{
	char key[CACHE_KEY_MAX];
	json_t *rec;
	struct err ignore = { 0 };

	snprintf(key, sizeof(key), "%s#%lld", ent->name, (long long)id);
	rec = json_object_get(x->records, key);
	if (rec != NULL)
		return json_is_null(rec) ? NULL : rec;
	if (json_object_size(x->records) >= EXPR_CACHE_MAX)
		json_object_clear(x->records);
	rec = store_get(x->s, ent, id, &ignore);
	if (rec == NULL && ignore.code != ERR_NOT_FOUND)
		lookup_failed(x, &ignore);
	err_clear(&ignore);
	if (rec != NULL && entity_behaviour(ent)->confidential != FLD_NONE &&
	    jrec_bool(rec, entity_behaviour(ent)->confidential)) {
		/* a confidential incident is not read through its children */
		json_decref(rec);
		rec = NULL;
	}
	/* the cache holds the reference returned */
	if (json_object_set_new(x->records, key, rec != NULL ? rec : json_null()) != 0) {
		lookup_failed(x, NULL);
		return NULL;
	}
	return rec;
}

static int64_t
ref_id(const json_t *rec, const char *field)
{
	json_t *v = json_object_get(rec, field);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Where the generic order (admin-unit F_SCOPE fields, then the other
 * F_SCOPE fields, in field order) would pick the wrong party: a task is
 * the assignee's, not the assigner's. */
static const struct {
	enum entity_id entity;
	enum field_id fields[3]; /* FLD_NONE in the slots not used */
} scope_order[] = {
	{ ENT_TASK, { FLD_TASK_ASSIGNEE_UNIT_ID, FLD_TASK_ASSIGNEE_ORG_ID,
	    FLD_TASK_ASSIGNER_ORG_ID } },
};

static int64_t record_unit(struct evalctx *x, const struct entity_def *ent,
    const json_t *rec, int depth);

/* The unit behind reference field f of rec, or 0. */
static int64_t
unit_by_field(struct evalctx *x, const struct field_def *f, const json_t *rec,
    int depth)
{
	const struct entity_def *pe;
	json_t *parent;
	int64_t id = ref_id(rec, f->name);

	if (id <= 0)
		return 0;
	if (strcmp(f->arg, entity_of(ENT_ADMIN_UNIT)->name) == 0)
		return id;
	if (depth >= EXPR_SCOPE_DEPTH || (pe = registry_find(f->arg)) == NULL)
		return 0;
	parent = cached_record(x, pe, id);
	return parent != NULL ? record_unit(x, pe, parent, depth + 1) : 0;
}

/* The unit of a record (see expr.h), or 0. */
static int64_t
record_unit(struct evalctx *x, const struct entity_def *ent, const json_t *rec,
    int depth)
{
	size_t i, pass;
	bool any_scope = false;

	for (i = 0; i < sizeof(scope_order) / sizeof(scope_order[0]); i++) {
		size_t j;
		if (scope_order[i].entity != ent->id)
			continue;
		for (j = 0; j < 3 && scope_order[i].fields[j] != FLD_NONE; j++) {
			const struct field_def *f = field_of(scope_order[i].fields[j]);
			if (f != NULL && f->type == FT_REF && ref_id(rec, f->name) > 0)
				return unit_by_field(x, f, rec, depth);
		}
		return 0;
	}

	for (i = 0; i < ent->nfields; i++)
		if ((ent->fields[i].flags & F_SCOPE) && ent->fields[i].type == FT_REF)
			any_scope = true;
	/* pass 0: admin-unit references; pass 1: other records' units */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ent->nfields; i++) {
			const struct field_def *f = &ent->fields[i];
			bool unit_ref;
			int64_t id;
			if (f->type != FT_REF || (any_scope && !(f->flags & F_SCOPE)))
				continue;
			unit_ref = strcmp(f->arg, entity_of(ENT_ADMIN_UNIT)->name) == 0;
			if ((pass == 0) != unit_ref || (!any_scope && !unit_ref))
				continue;
			id = ref_id(rec, f->name);
			if (id <= 0)
				continue;
			return unit_by_field(x, f, rec, depth);
		}
	}
	return 0;
}

static bool
in_scope(struct evalctx *x, const struct entity_def *ent, const json_t *rec)
{
	char key[32];
	json_t *hit;
	int64_t u;
	bool within;

	if (x->scope <= 0)
		return true;
	u = record_unit(x, ent, rec, 0);
	if (u <= 0)
		return false;
	snprintf(key, sizeof(key), "%lld", (long long)u);
	hit = json_object_get(x->units, key);
	if (hit != NULL)
		return json_is_true(hit);
	if (store_unit_within_checked(x->s, u, x->scope, &within, x->e) != 0) {
		x->failed = true;
		return false;
	}
	if (json_object_size(x->units) >= EXPR_CACHE_MAX)
		json_object_clear(x->units);
	json_object_set_new(x->units, key, json_boolean(within)); /* a cache */
	return within;
}

static const struct date_rule *
date_rule(const struct entity_def *ent)
{
	size_t i;

	for (i = 0; i < sizeof(date_rules) / sizeof(date_rules[0]); i++)
		if (date_rules[i].entity == ent->id)
			return &date_rules[i];
	return NULL;
}

static bool
in_period(struct evalctx *x, const struct entity_def *ent, const json_t *rec,
    int depth)
{
	const struct date_rule *r;
	const char *d;
	size_t i;

	if (!x->has_period)
		return true;
	r = date_rule(ent);
	if (r == NULL) {
		/* a child record takes its owner's date */
		for (i = 0; i < ent->nfields && depth < EXPR_SCOPE_DEPTH; i++) {
			const struct field_def *f = &ent->fields[i];
			if (f->type == FT_REF && (f->flags & F_OWNER)) {
				const struct entity_def *pe = registry_find(f->arg);
				int64_t id = ref_id(rec, f->name);
				json_t *parent;
				if (pe == NULL || id <= 0)
					return false;
				parent = cached_record(x, pe, id);
				return parent != NULL && in_period(x, pe, parent, depth + 1);
			}
		}
		return true;
	}
	d = jrec_str(rec, r->field);
	if (r->mode == P_AS_OF)
		return d == NULL || strcmp(d, x->period.end) <= 0;
	return d != NULL && strcmp(d, x->period.start) >= 0 &&
	    strcmp(d, x->period.end) <= 0;
}

/* Compare a record's value with one filter value: <0, 0, >0, or 2 when
 * they cannot be compared. */
static int
compare(const struct field_def *fd, const json_t *v, const char *want)
{
	if (json_is_number(v) || json_is_boolean(v)) {
		double a = json_is_boolean(v) ? (json_is_true(v) ? 1 : 0) :
		    json_number_value(v);
		double b;
		bool bb;
		if (fd->type == FT_BOOLEAN) {
			if (!parse_bool(want, &bb))
				return 2;
			b = bb ? 1 : 0;
		} else if (!parse_num(want, &b)) {
			return 2;
		}
		return a < b ? -1 : a > b ? 1 : 0;
	}
	if (json_is_string(v)) {
		int c = strcmp(json_string_value(v), want);
		return c < 0 ? -1 : c > 0 ? 1 : 0;
	}
	return 2;
}

static bool
contains(const json_t *v, const char *want)
{
	char *hay, *needle;
	bool hit;

	if (!json_is_string(v))
		return false;
	hay = text_fold(json_string_value(v));
	needle = text_fold(want);
	hit = hay != NULL && needle != NULL && strstr(hay, needle) != NULL;
	free(hay);
	free(needle);
	return hit;
}

static bool
filter_match(struct evalctx *x, const struct filter *f, const json_t *rec)
{
	const json_t *v;
	size_t i;

	if (f->path.via != NULL) {
		int64_t id = ref_id(rec, f->path.via->name);
		const json_t *parent = id > 0 ?
		    cached_record(x, f->path.owner, id) : NULL;
		v = parent != NULL ? json_object_get(parent, f->path.field->name) :
		    NULL;
	} else {
		v = json_object_get(rec, f->path.field->name);
	}
	if (v != NULL && json_is_null(v))
		v = NULL;
	if (f->is_null[0])
		return f->op == F_EQ ? v == NULL : v != NULL;
	if (v == NULL)
		return false;
	for (i = 0; i < f->nvals; i++) {
		const char *want = x->ast->pool + f->val[i];
		int c;
		if (f->op == F_CONTAINS) {
			if (contains(v, want))
				return true;
			continue;
		}
		c = compare(f->path.field, v, want);
		if (c == 2)
			continue;
		switch (f->op) {
		case F_EQ:
			if (c == 0)
				return true;
			break;
		case F_NE:
			if (c == 0)
				return false;
			break;
		case F_LT:
			return c < 0;
		case F_LE:
			return c <= 0;
		case F_GT:
			return c > 0;
		case F_GE:
			return c >= 0;
		case F_CONTAINS:
			break;
		}
	}
	return f->op == F_NE;
}

struct callrun {
	struct evalctx *x;
	const struct call *c;
	double acc;
};

/* A row whose owner is a confidential record (a share of a confidential
 * incident) is left out like the record itself. */
static bool
hidden(struct evalctx *x, const struct entity_def *ent, const json_t *rec)
{
	size_t i;

	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		const struct entity_def *pe;
		int64_t id;
		if (f->type != FT_REF || !(f->flags & F_OWNER))
			continue;
		pe = registry_find(f->arg);
		id = ref_id(rec, f->name);
		if (pe != NULL && id > 0 && entity_behaviour(pe)->confidential != FLD_NONE &&
		    cached_record(x, pe, id) == NULL)
			return true;
	}
	return false;
}

static int
call_row(void *ctx, json_t *row, struct err *e)
{
	struct callrun *r = ctx;
	struct evalctx *x = r->x;
	const struct call *c = r->c;
	size_t i;

	(void)e;
	x->rows++;
	for (i = 0; i < c->nfilters; i++)
		if (!filter_match(x, &c->filters[i], row))
			return 0;
	if (c->kind == C_OVERDUE) {
		/* overdue() is of an entity with a deadline (parse_call) */
		const struct entity_behaviour *bh = entity_behaviour(c->ent);
		const char *dl = jrec_str(row, bh->due);
		const char *done = jrec_str(row, bh->done);
		if (dl == NULL || strcmp(dl, x->ref_date) >= 0)
			return 0;
		if (done != NULL && strcmp(done, dl) <= 0)
			return 0;
	} else if (!in_period(x, c->ent, row, 0)) {
		return 0;
	}
	if (!in_scope(x, c->ent, row) || hidden(x, c->ent, row))
		return 0;
	if (c->kind == C_SUM) {
		json_t *v = json_object_get(row, c->sum.field->name);
		if (json_is_number(v))
			r->acc += json_number_value(v);
	} else {
		r->acc += 1;
	}
	return 0;
}

/* call_row, stopping the list (with x->e) once a lookup failed. */
static int
call_row_checked(void *ctx, json_t *row, struct err *e)
{
	struct callrun *r = ctx;
	int rc = call_row(ctx, row, e);

	return r->x->failed ? -1 : rc;
}

/* Typed JSON for a single filter value handed to the store. */
static json_t *
store_value(const struct field_def *fd, const char *v)
{
	long long ll;
	double d;
	bool b;

	switch (fd->type) {
	case FT_INTEGER:
	case FT_REF:
		return parse_int(v, &ll) ? json_integer(ll) : NULL;
	case FT_DECIMAL:
		return parse_num(v, &d) ? json_real(d) : NULL;
	case FT_BOOLEAN:
		return parse_bool(v, &b) ? json_boolean(b) : NULL;
	default:
		return json_string(v);
	}
}

static int
eval_call(struct evalctx *x, const struct call *c, double *out)
{
	static const enum filter_op to_store[] = {
		[F_EQ] = OP_EQ, [F_NE] = OP_NE, [F_LT] = OP_LT, [F_LE] = OP_LE,
		[F_GT] = OP_GT, [F_GE] = OP_GE,
	};
	struct list_query q;
	struct callrun r = { x, c, 0 };
	json_t *keep = json_array();
	size_t i;
	int rc;

	memset(&q, 0, sizeof(q));
	/* own-field filters with one value go to the store as well */
	for (i = 0; i < c->nfilters && q.nfilters < LIST_FILTERS_MAX; i++) {
		const struct filter *f = &c->filters[i];
		struct list_filter *lf = &q.filters[q.nfilters];
		json_t *v;
		if (f->path.via != NULL || f->nvals != 1 || f->op == F_CONTAINS)
			continue;
		lf->field = f->path.field->name;
		if (f->is_null[0]) {
			lf->op = f->op == F_EQ ? OP_NULL : OP_NOTNULL;
			q.nfilters++;
			continue;
		}
		/* not handed to the store: call_row checks every filter */
		v = store_value(f->path.field, x->ast->pool + f->val[0]);
		if (v == NULL || json_array_append_new(keep, v) != 0)
			continue;
		lf->op = to_store[f->op];
		lf->value = v;
		q.nfilters++;
	}
	rc = x->rows < EXPR_ROWS_MAX ? expr_list_each(x->s, c->ent, &q,
	    EXPR_ROWS_MAX - x->rows, call_row_checked, &r, x->e) :
	    err_set(x->e, ERR_TOO_LARGE, "công thức đọc quá %d bản ghi",
	    EXPR_ROWS_MAX);
	json_decref(keep);
	if (rc != 0)
		return -1;
	*out = r.acc;
	return 0;
}

static int
eval_node(struct evalctx *x, int id, double *out)
{
	const struct node *n = &x->ast->nodes[id];
	double a, b;

	switch (n->kind) {
	case N_NUM:
		*out = n->num;
		return 0;
	case N_CALL:
		return eval_call(x, &x->ast->calls[n->call], out);
	case N_NEG:
		if (eval_node(x, n->a, &a) != 0)
			return -1;
		*out = -a;
		return 0;
	default:
		break;
	}
	if (eval_node(x, n->a, &a) != 0 || eval_node(x, n->b, &b) != 0)
		return -1;
	switch (n->kind) {
	case N_ADD:
		*out = a + b;
		break;
	case N_SUB:
		*out = a - b;
		break;
	case N_MUL:
		*out = a * b;
		break;
	case N_DIV:
		if (b == 0)
			return err_set(x->e, ERR_INVALID, "vị trí %zu: chia cho 0",
			    char_pos(x->text, n->pos));
		*out = a / b;
		break;
	default:
		return err_set(x->e, ERR_INTERNAL, "nút công thức lạ");
	}
	if (!isfinite(*out))
		return err_set(x->e, ERR_INVALID, "vị trí %zu: kết quả quá lớn",
		    char_pos(x->text, n->pos));
	return 0;
}

int
expr_eval(struct store *s, const char *text, int64_t scope_unit_id,
    const char *period, double *value, struct err *e)
{
	struct expr_diag d[EXPR_DIAGS_MAX];
	struct evalctx x;
	struct ast *a;
	size_t n;
	int rc;

	memset(&x, 0, sizeof(x));
	if (period != NULL && vi_parse_period(period, &x.period) != 0)
		return err_set(e, ERR_BAD_REQUEST, "kỳ '%s' không hợp lệ", period);
	n = parse(text, d, EXPR_DIAGS_MAX, &a);
	if (n > 0)
		return report(e, d, n < EXPR_DIAGS_MAX ? n : EXPR_DIAGS_MAX, n);
	if (a == NULL)
		return err_nomem(e);
	x.s = s;
	x.ast = a;
	x.text = text;
	x.scope = scope_unit_id;
	x.has_period = period != NULL;
	x.e = e;
	clock_today(x.ref_date);
	if (x.has_period && strcmp(x.period.end, x.ref_date) < 0)
		memcpy(x.ref_date, x.period.end, sizeof(x.ref_date));
	x.records = json_object();
	x.units = json_object();
	rc = x.records != NULL && x.units != NULL ? eval_node(&x, a->root, value) :
	    err_nomem(e);
	if (rc == 0 && x.failed)
		rc = -1;
	json_decref(x.records);
	json_decref(x.units);
	free(a);
	return rc;
}
