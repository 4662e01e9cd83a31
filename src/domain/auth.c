/* auth.c - see auth.h */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/auth.h"
#include "domain/records.h"
#include "schema/record.h"

#define SESSION_SECONDS   (12 * 3600) /* a working day                   */
#define THROTTLE_SLOTS    256         /* logins and addresses remembered */
#define THROTTLE_FREE     5           /* failures before waiting         */
#define THROTTLE_BASE_S   2           /* first wait, doubling             */
#define THROTTLE_MAX_S    900         /* longest wait                    */
/* failures are forgotten this long after the last one, never by a
 * success: a success from an address proves nothing about the other
 * logins tried from it (password spraying), nor one of a login about the
 * guesses made at it from elsewhere */
#define THROTTLE_FORGET_S (4 * THROTTLE_MAX_S)

/* A real hash of a random password: unknown logins are checked against it
 * so that the time a sign-in takes does not tell which logins exist.  Made
 * at the first sign-in with an unknown login, not at start: hashing takes
 * crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB) for a moment, which was most
 * of the server's peak memory although token-only clients never need it. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_make(void)
{
	char pw[AUTH_TOKEN_LEN + 1];
	unsigned char raw[16];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(pw, sizeof(pw), raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (auth_hash_password(pw, dummy_hash, sizeof(dummy_hash)) != 0)
		dummy_hash[0] = '\0'; /* out of memory: the check below fails */
	sodium_memzero(pw, sizeof(pw));
}

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int
auth_hash_password(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	/* INTERACTIVE limits: ~64 MiB and well under a second on the
	 * district offices' old machines */
	return crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

bool
auth_check_password(const char *hash, const char *password)
{
	return hash != NULL && crypto_pwhash_str_verify(hash, password,
	    strlen(password)) == 0;
}

bool
auth_secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la == lb && sodium_memcmp(a, b, la) == 0;
}

static void
new_secret(char *out, size_t outlen)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outlen, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static void
secret_hash(const char *secret, char hex[AUTH_HASH_HEX + 1])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
	    strlen(secret), NULL, 0);
	sodium_bin2hex(hex, AUTH_HASH_HEX + 1, h, sizeof(h));
}

static void
iso_at(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- users ----------------------------------------------------------------- */

int
auth_user_add(struct store *s, const char *login, const char *display,
    const char *password, const char *role, const char *unit_code,
    int64_t org_id, bool clearance, struct err *e)
{
	static const struct actor cli = { .name = "cli" };
	char hash[crypto_pwhash_STRBYTES];
	json_t *u = NULL, *g = NULL, *out = NULL;
	int64_t unit_id = 0;

	if (strlen(password) < 8)
		return err_set(e, ERR_INVALID, "mật khẩu phải có ít nhất 8 ký tự");
	if (auth_hash_password(password, hash, sizeof(hash)) != 0)
		return err_set(e, ERR_INTERNAL, "không băm được mật khẩu (thiếu bộ nhớ)");
	if (unit_code != NULL && store_unit_by_code(s, unit_code, NULL, &unit_id, e) != 0)
		return -1;
	if (store_begin(s, e) != 0)
		return -1;
	u = json_pack("{s:s, s:s, s:s, s:b}", field_name(FLD_APP_USER_LOGIN), login,
	    field_name(FLD_APP_USER_DISPLAY_NAME), display ? display : login,
	    field_name(FLD_APP_USER_PASSWORD_HASH), hash,
	    field_name(FLD_APP_USER_ACTIVE), 1);
	if (records_create(s, entity_of(ENT_APP_USER), u, &cli, R_SYSTEM, &out, e) != 0)
		goto fail;
	g = json_pack("{s:O, s:s, s:b}", field_name(FLD_ROLE_GRANT_USER_ID),
	    json_object_get(out, "id"), field_name(FLD_ROLE_GRANT_ROLE), role,
	    field_name(FLD_ROLE_GRANT_SECURITY_CLEARANCE), clearance);
	if (unit_id > 0)
		json_object_set_new(g, field_name(FLD_ROLE_GRANT_UNIT_ID),
		    json_integer(unit_id));
	if (org_id > 0)
		json_object_set_new(g, field_name(FLD_ROLE_GRANT_ORGANISATION_ID),
		    json_integer(org_id));
	if (records_create(s, entity_of(ENT_ROLE_GRANT), g, &cli, 0, NULL, e) != 0)
		goto fail;
	json_decref(u);
	json_decref(g);
	json_decref(out);
	sodium_memzero(hash, sizeof(hash));
	return store_commit(s, e);
fail:
	store_rollback(s);
	json_decref(u);
	json_decref(g);
	json_decref(out);
	sodium_memzero(hash, sizeof(hash));
	return -1;
}

static int64_t
user_id_of(struct store *s, const char *login, struct err *e)
{
	struct list_query q;
	json_t *rows, *v = json_string(login);
	int64_t id = 0;

	memset(&q, 0, sizeof(q));
	q.filters[0] = (struct list_filter){ field_name(FLD_APP_USER_LOGIN), OP_EQ,
	    v };
	q.nfilters = 1;
	if (store_list(s, entity_of(ENT_APP_USER), &q, &rows, NULL, e) == 0) {
		id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
		json_decref(rows);
	}
	json_decref(v);
	if (id == 0 && e != NULL && e->code == ERR_NONE)
		err_set(e, ERR_NOT_FOUND, "không có người dùng '%s'", login);
	return id;
}

int
auth_token_create(struct store *s, const char *login, const char *label,
    char *out, size_t outlen, struct err *e)
{
	char hex[AUTH_HASH_HEX + 1];
	int64_t uid = user_id_of(s, login, e);

	if (uid == 0)
		return -1;
	if (outlen < AUTH_TOKEN_LEN + 1)
		return err_set(e, ERR_INTERNAL, "bộ đệm mã truy cập quá nhỏ");
	new_secret(out, outlen);
	secret_hash(out, hex);
	return store_token_put(s, hex, uid, label, e);
}

/* ---- throttling -------------------------------------------------------------- */

struct throttle_slot {
	char key[96];
	int failures;
	time_t until;
	time_t last;
};

static struct throttle_slot throttle[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

static struct throttle_slot *
throttle_slot(const char *key, bool create)
{
	struct throttle_slot *oldest = &throttle[0];
	size_t i;

	for (i = 0; i < THROTTLE_SLOTS; i++) {
		if (strcmp(throttle[i].key, key) == 0)
			return &throttle[i];
		if (throttle[i].last < oldest->last)
			oldest = &throttle[i];
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	return oldest;
}

static time_t
throttle_wait(const char *key, time_t now)
{
	struct throttle_slot *t = throttle_slot(key, false);

	return t != NULL && t->until > now ? t->until - now : 0;
}

/* A failed sign-in of a login or from an address (a success changes
 * nothing: see THROTTLE_FORGET_S). */
static void
throttle_fail(const char *key, time_t now)
{
	struct throttle_slot *t = throttle_slot(key, true);
	long wait;

	if (now - t->last >= THROTTLE_FORGET_S) {
		t->failures = 0;
		t->until = 0;
	}
	t->failures++;
	t->last = now;
	if (t->failures > THROTTLE_FREE) {
		wait = (long)THROTTLE_BASE_S << (t->failures - THROTTLE_FREE - 1 > 9 ? 9
		    : t->failures - THROTTLE_FREE - 1);
		t->until = now + (wait > THROTTLE_MAX_S ? THROTTLE_MAX_S : wait);
	}
}

int
auth_sign_in(struct store *s, const char *login, const char *password,
    const char *ip, char *token, size_t tokenlen, struct err *e)
{
	char klogin[96], kip[96], hex[AUTH_HASH_HEX + 1], csrf[AUTH_TOKEN_LEN + 1];
	char expires[32], *hash;
	time_t now = time(NULL), wait;
	int64_t uid = 0;
	bool ok;

	snprintf(klogin, sizeof(klogin), "l:%s", login);
	snprintf(kip, sizeof(kip), "a:%s", ip ? ip : "");
	pthread_mutex_lock(&throttle_lock);
	wait = throttle_wait(klogin, now);
	if (throttle_wait(kip, now) > wait)
		wait = throttle_wait(kip, now);
	pthread_mutex_unlock(&throttle_lock);
	if (wait > 0)
		return err_set(e, ERR_THROTTLED, "đăng nhập sai quá nhiều lần; hãy thử "
		    "lại sau %ld giây", (long)wait);
	hash = store_user_secret(s, login, &uid, NULL);
	if (hash == NULL)
		pthread_once(&dummy_once, dummy_make);
	ok = auth_check_password(hash != NULL ? hash : dummy_hash, password) &&
	    hash != NULL;
	free(hash);
	if (!ok) {
		pthread_mutex_lock(&throttle_lock);
		throttle_fail(klogin, now);
		throttle_fail(kip, now);
		pthread_mutex_unlock(&throttle_lock);
		return err_set(e, ERR_UNAUTHORIZED, "tên đăng nhập hoặc mật khẩu không đúng");
	}
	new_secret(token, tokenlen);
	new_secret(csrf, sizeof(csrf));
	secret_hash(token, hex);
	iso_at(now + SESSION_SECONDS, expires, sizeof(expires));
	return store_session_put(s, hex, uid, csrf, expires, e);
}

void
auth_sign_out(struct store *s, const char *token)
{
	char hex[AUTH_HASH_HEX + 1];

	if (token == NULL)
		return;
	secret_hash(token, hex);
	store_session_delete(s, hex);
}

static enum role
role_of(const char *name)
{
	if (name == NULL)
		return ROLE_NONE;
	if (strcmp(name, "admin") == 0)
		return ROLE_ADMIN;
	if (strcmp(name, "approver") == 0)
		return ROLE_APPROVER;
	if (strcmp(name, "editor") == 0)
		return ROLE_EDITOR;
	if (strcmp(name, "viewer") == 0)
		return ROLE_VIEWER;
	return ROLE_NONE;
}

static bool
load_user(struct store *s, int64_t uid, struct user *u)
{
	struct list_query q;
	json_t *rec, *rows, *idv;
	size_t i;

	rec = store_get(s, entity_of(ENT_APP_USER), uid, NULL);
	if (rec == NULL)
		return false;
	u->id = uid;
	snprintf(u->login, sizeof(u->login), "%s",
	    jrec_str(rec, FLD_APP_USER_LOGIN));
	snprintf(u->display_name, sizeof(u->display_name), "%s",
	    jrec_str(rec, FLD_APP_USER_DISPLAY_NAME) ?: u->login);
	json_decref(rec);
	memset(&q, 0, sizeof(q));
	idv = json_integer(uid);
	q.filters[0] = (struct list_filter){ field_name(FLD_ROLE_GRANT_USER_ID),
	    OP_EQ, idv };
	q.nfilters = 1;
	q.limit = USER_GRANTS_MAX;
	u->ngrants = 0;
	if (store_list(s, entity_of(ENT_ROLE_GRANT), &q, &rows, NULL, NULL) == 0) {
		json_array_foreach(rows, i, rec) {
			struct grant *g = &u->grants[u->ngrants++];
			g->role = role_of(jrec_str(rec, FLD_ROLE_GRANT_ROLE));
			g->unit_id = jrec_int(rec, FLD_ROLE_GRANT_UNIT_ID);
			g->org_id = jrec_int(rec, FLD_ROLE_GRANT_ORGANISATION_ID);
			g->national = g->unit_id == 0 && g->org_id == 0;
			g->clearance = jrec_bool(rec, FLD_ROLE_GRANT_SECURITY_CLEARANCE);
		}
		json_decref(rows);
	}
	json_decref(idv);
	return true;
}

int
auth_user_by_login(struct store *s, const char *login, struct user *u,
    struct err *e)
{
	int64_t id = user_id_of(s, login, e);

	memset(u, 0, sizeof(*u));
	if (id == 0)
		return -1;
	if (!load_user(s, id, u))
		return err_set(e, ERR_NOT_FOUND, "không có người dùng '%s'", login);
	return 0;
}

int
auth_from_cookie(struct store *s, const char *token, struct user *u,
    struct err *e)
{
	char hex[AUTH_HASH_HEX + 1], now[32];
	int64_t uid;

	memset(u, 0, sizeof(*u));
	if (token == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return 0;
	secret_hash(token, hex);
	iso_at(time(NULL), now, sizeof(now));
	uid = store_session_get(s, hex, now, u->csrf, sizeof(u->csrf), e);
	if (uid < 0) {
		memset(u, 0, sizeof(*u));
		return -1;
	}
	if (uid == 0 || !load_user(s, uid, u)) {
		memset(u, 0, sizeof(*u));
		return 0;
	}
	return 1;
}

/* ---- API tokens remembered --------------------------------------------------
 * A script sends its token with every request, and looking it up cost three
 * queries (token, user, grants) - more than the answer of a small request.
 * The user and grants a token stood for are kept, stamped with the store's
 * data version: any write through this process (a grant or user changed, a
 * user deactivated, a token added) or a commit seen from another one makes
 * them unreachable, so a revocation holds at the next request.  Also kept at
 * most AUTH_CACHE_TTL_S.  Direct-mapped on the token's hash (random): a
 * collision only costs the three queries again.  Unknown tokens are never
 * kept. */

struct token_slot {
	char hash[AUTH_HASH_HEX + 1]; /* "" = empty */
	uint64_t version;
	time_t until;                 /* CLOCK_MONOTONIC seconds */
	struct user user;
};

static struct token_slot token_cache[AUTH_CACHE_SLOTS];
static pthread_mutex_t token_lock = PTHREAD_MUTEX_INITIALIZER;

static time_t
mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static struct token_slot *
token_slot(const char *hex)
{
	size_t h = 0, i;

	for (i = 0; i < 8 && hex[i] != '\0'; i++) /* the hash is random */
		h = h * 31 + (unsigned char)hex[i];
	return &token_cache[h % AUTH_CACHE_SLOTS];
}

static bool
token_recall(const char *hex, uint64_t version, struct user *u)
{
	struct token_slot *t = token_slot(hex);
	bool hit;

	pthread_mutex_lock(&token_lock);
	hit = t->version == version && t->until > mono_seconds() &&
	    strcmp(t->hash, hex) == 0;
	if (hit)
		*u = t->user;
	pthread_mutex_unlock(&token_lock);
	return hit;
}

static void
token_remember(const char *hex, uint64_t version, const struct user *u)
{
	struct token_slot *t = token_slot(hex);

	pthread_mutex_lock(&token_lock);
	/* a slot filled at a later version stays: this answer may be older */
	if (t->version <= version || t->until <= mono_seconds()) {
		snprintf(t->hash, sizeof(t->hash), "%s", hex);
		t->version = version;
		t->until = mono_seconds() + AUTH_CACHE_TTL_S;
		t->user = *u;
	}
	pthread_mutex_unlock(&token_lock);
}

int
auth_from_bearer(struct store *s, const char *token, struct user *u,
    struct err *e)
{
	char hex[AUTH_HASH_HEX + 1];
	uint64_t version;
	int64_t uid;

	memset(u, 0, sizeof(*u));
	if (token == NULL || strlen(token) != AUTH_TOKEN_LEN)
		return 0;
	secret_hash(token, hex);
	/* read before the lookups: a write after it makes what they find
	 * unreachable */
	version = store_data_version(s);
	if (token_recall(hex, version, u))
		return 1;
	uid = store_token_get(s, hex, e);
	if (uid <= 0 || !load_user(s, uid, u)) {
		memset(u, 0, sizeof(*u));
		return uid < 0 ? -1 : 0;
	}
	u->via_token = true;
	token_remember(hex, version, u);
	return 1;
}

/* ---- permissions ------------------------------------------------------------ */

bool
auth_is_admin(const struct user *u)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++)
		if (u->grants[i].role == ROLE_ADMIN && u->grants[i].national)
			return true;
	return false;
}

bool
auth_is_approver(const struct user *u)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++)
		if (u->grants[i].role >= ROLE_APPROVER)
			return true;
	return false;
}

bool
auth_has_clearance(const struct user *u)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++)
		if (u->grants[i].clearance)
			return true;
	return false;
}

bool
auth_can_read_entity(const struct user *u, const struct entity_def *ent)
{
	if (u->id == 0)
		return false;
	return !(ent->flags & E_ADMIN) || auth_is_admin(u);
}

/* Is the record confidential, or owned by (attached to) a confidential one? */
static bool
confidential(struct store *s, const struct entity_def *ent, const json_t *rec,
    int depth)
{
	const struct entity_behaviour *bh = entity_behaviour(ent);
	const struct entity_def *owner;
	const char *oname;
	json_t *parent;
	size_t i;
	bool c;

	if (bh->confidential != FLD_NONE && jrec_bool(rec, bh->confidential))
		return true;
	if (depth > 3)
		return false;
	for (i = 0; i < ent->nfields; i++) {
		const struct field_def *f = &ent->fields[i];
		int64_t id = json_integer_value(json_object_get(rec, f->name));
		if (f->type != FT_REF || !(f->flags & F_OWNER) || id <= 0)
			continue;
		owner = registry_find(f->arg);
		parent = owner ? store_get(s, owner, id, NULL) : NULL;
		c = parent != NULL && confidential(s, owner, parent, depth + 1);
		json_decref(parent);
		if (c)
			return true;
	}
	oname = bh->attached_entity != FLD_NONE ? jrec_str(rec, bh->attached_entity) :
	    NULL;
	if (oname != NULL && (owner = registry_find(oname)) != NULL) {
		parent = store_get(s, owner, jrec_int(rec, bh->attached_id), NULL);
		c = parent != NULL && confidential(s, owner, parent, depth + 1);
		json_decref(parent);
		return c;
	}
	return false;
}

bool
auth_can_read(struct store *s, const struct user *u,
    const struct entity_def *ent, const json_t *rec)
{
	if (!auth_can_read_entity(u, ent))
		return false;
	if (!auth_has_clearance(u) && confidential(s, ent, rec, 0))
		return false;
	return true;
}

/* What a record's write rule found (resolve): the units and organisations
 * it belongs to (with the organisations above them, for organisation
 * grants) and its creator.  Nothing found: national grants only. */
struct scope {
	int64_t units[SCOPE_IDS_MAX];
	size_t nunits;
	int64_t orgs[SCOPE_IDS_MAX];
	size_t norgs;
	int64_t creator;   /* user id; 0 = none known                       */
	bool self_created; /* being created: the writer will be its creator */
	bool admin;        /* admins only (reference data, users)           */
	bool system;       /* nobody: the system writes it                  */
	struct err *e;     /* a lookup that failed (not "no such record")  */
	bool failed;
};

static void
scope_add(int64_t *ids, size_t *n, int64_t id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (ids[i] == id)
			return;
	if (*n < SCOPE_IDS_MAX)
		ids[(*n)++] = id;
}

/* A record by id, or NULL: missing (nothing found), or a failed lookup
 * (sc->failed, the error in sc->e: the request fails, it is not denied as
 * if the record had no scope). */
static json_t *
scope_get(struct store *s, const struct entity_def *ent, int64_t id,
    struct scope *sc)
{
	struct err le = { 0 };
	json_t *rec;

	if (ent == NULL || id <= 0)
		return NULL;
	rec = store_get(s, ent, id, &le);
	if (rec == NULL && le.code != ERR_NOT_FOUND && !sc->failed) {
		sc->failed = true;
		if (sc->e != NULL) {
			err_clear(sc->e);
			*sc->e = le;
			le.fields = NULL;
		}
	}
	err_clear(&le);
	return rec;
}

/* An organisation: it and those above it (organisation grants), and its
 * unit - else the nearest unit above it (unit grants). */
static void
scope_org(struct store *s, const json_t *org, struct scope *sc, bool unit_found,
    int depth)
{
	const struct entity_def *orgs = entity_of(ENT_ORGANISATION);
	const struct entity_behaviour *bh = entity_behaviour(orgs);
	int64_t id = rec_int(org, "id"), unit = jrec_int(org, bh->org_unit);
	json_t *parent;

	if (id > 0)
		scope_add(sc->orgs, &sc->norgs, id);
	if (unit > 0 && !unit_found) {
		scope_add(sc->units, &sc->nunits, unit);
		unit_found = true;
	}
	if (depth >= WRITE_RULE_DEPTH_MAX)
		return;
	parent = scope_get(s, orgs, jrec_int(org, bh->org_parent), sc);
	if (parent != NULL && rec_int(parent, "id") != id)
		scope_org(s, parent, sc, unit_found, depth + 1);
	json_decref(parent);
}

static void resolve(struct store *s, const struct entity_def *ent,
    const json_t *rec, struct scope *sc, int depth);

/* The record that id of entity `ent` names, judged by that entity's rule;
 * as a scope (a unit field), a unit is the unit itself - as an owner (a
 * file attached to it), a unit is reference data, for admins. */
static void
resolve_ref(struct store *s, const struct entity_def *ent, int64_t id,
    struct scope *sc, int depth, bool as_scope)
{
	json_t *parent;

	if (ent == NULL || id <= 0)
		return;
	if (as_scope && ent->id == ENT_ADMIN_UNIT) {
		scope_add(sc->units, &sc->nunits, id);
		return;
	}
	if ((parent = scope_get(s, ent, id, sc)) == NULL)
		return;
	if (entity_behaviour(ent)->org_unit != FLD_NONE) /* an organisation */
		scope_org(s, parent, sc, false, depth + 1);
	else
		resolve(s, ent, parent, sc, depth + 1);
	json_decref(parent);
}

/* Apply the write rule of ent (registry.h) to rec. */
static void
resolve(struct store *s, const struct entity_def *ent, const json_t *rec,
    struct scope *sc, int depth)
{
	const struct entity_behaviour *bh;
	const struct field_def *f;
	size_t i;

	if (depth > WRITE_RULE_DEPTH_MAX)
		return;
	switch (ent->write) {
	case WR_NONE:
	case WR_SYSTEM:
		sc->system = true;
		return;
	case WR_ADMIN:
	case WR_REFERENCE:
		sc->admin = true;
		return;
	case WR_SCOPE:
		for (i = 0; i < ent->nfields; i++) {
			f = &ent->fields[i];
			if (f->type == FT_REF && (f->flags & F_SCOPE))
				resolve_ref(s, registry_find(f->arg),
				    rec_int(rec, f->name), sc, depth, true);
		}
		return;
	case WR_OWNER:
		for (i = 0; i < ent->nfields; i++) {
			f = &ent->fields[i];
			if (f->type == FT_REF && (f->flags & F_OWNER))
				resolve_ref(s, registry_find(f->arg),
				    rec_int(rec, f->name), sc, depth, false);
		}
		/* a file: the record it is attached to */
		if ((bh = entity_behaviour(ent))->attached_entity != FLD_NONE)
			resolve_ref(s, registry_find(jrec_str(rec, bh->attached_entity)),
			    jrec_int(rec, bh->attached_id), sc, depth, false);
		return;
	case WR_ORG:
		scope_org(s, rec, sc, false, depth);
		return;
	case WR_CREATOR:
		if ((bh = entity_behaviour(ent))->creator != FLD_NONE &&
		    jrec_int(rec, bh->creator) > 0)
			sc->creator = jrec_int(rec, bh->creator);
		else if (rec_int(rec, "id") <= 0 && depth == 0)
			sc->self_created = true;
		else if (rec_int(rec, "id") > 0 && !sc->failed &&
		    store_record_creator(s, ent, rec_int(rec, "id"), &sc->creator,
		    sc->e) != 0)
			sc->failed = true;
		return;
	}
}

static bool
grant_covers(struct store *s, const struct user *u, const struct grant *g,
    const struct scope *sc)
{
	size_t i;

	if (g->national)
		return true;
	if (sc->self_created || (sc->creator > 0 && sc->creator == u->id))
		return true;
	for (i = 0; i < sc->norgs; i++)
		if (g->org_id > 0 && sc->orgs[i] == g->org_id)
			return true;
	for (i = 0; i < sc->nunits; i++)
		if (g->unit_id > 0 && store_unit_within(s, sc->units[i], g->unit_id))
			return true;
	return false;
}

static bool
may_edit_something(const struct user *u)
{
	size_t i;

	for (i = 0; i < u->ngrants; i++)
		if (u->grants[i].role >= ROLE_EDITOR)
			return true;
	return false;
}

bool
auth_can_write_entity(const struct user *u, const struct entity_def *ent,
    struct err *e)
{
	if (u->id == 0)
		return err_set(e, ERR_UNAUTHORIZED, "cần đăng nhập"), false;
	switch (ent->write) {
	case WR_NONE:
	case WR_SYSTEM:
		return err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label), false;
	case WR_ADMIN:
	case WR_REFERENCE:
		if (auth_is_admin(u))
			return true;
		return err_set(e, ERR_FORBIDDEN, "chỉ quản trị viên được sửa %s",
		    ent->label), false;
	default:
		break;
	}
	if (ent->flags & E_READONLY)
		return err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label), false;
	if (!may_edit_something(u))
		return err_set(e, ERR_FORBIDDEN, "vai trò của bạn chỉ được xem, không "
		    "được thay đổi dữ liệu"), false;
	return true;
}

bool
auth_can_write(struct store *s, const struct user *u,
    const struct entity_def *ent, const json_t *rec, struct err *e)
{
	struct scope sc;
	size_t i;

	if (!auth_can_write_entity(u, ent, e))
		return false;
	if (ent->write == WR_ADMIN || ent->write == WR_REFERENCE)
		return true; /* an admin (auth_can_write_entity) */
	if (!auth_has_clearance(u) && confidential(s, ent, rec, 0))
		return err_set(e, ERR_FORBIDDEN, "bạn không được giao xem tin mật"), false;
	memset(&sc, 0, sizeof(sc));
	sc.e = e;
	resolve(s, ent, rec, &sc, 0);
	if (sc.failed)
		return false;
	if (sc.system)
		return err_set(e, ERR_FORBIDDEN, "%s chỉ do hệ thống ghi", ent->label), false;
	if (sc.admin) {
		if (auth_is_admin(u))
			return true;
		return err_set(e, ERR_FORBIDDEN, "chỉ quản trị viên được sửa bản ghi "
		    "này"), false;
	}
	for (i = 0; i < u->ngrants; i++) {
		const struct grant *g = &u->grants[i];
		if (g->role >= ROLE_EDITOR && grant_covers(s, u, g, &sc))
			return true;
	}
	if (sc.nunits == 0 && sc.norgs == 0 && sc.creator == 0)
		return err_set(e, ERR_FORBIDDEN, "bản ghi này không thuộc đơn vị nào: chỉ "
		    "tài khoản cấp toàn quốc hoặc quản trị viên được thay đổi"), false;
	if (sc.nunits == 0 && sc.norgs == 0)
		return err_set(e, ERR_FORBIDDEN, "chỉ người đã tạo bản ghi này, tài khoản "
		    "cấp toàn quốc hoặc quản trị viên được thay đổi"), false;
	return err_set(e, ERR_FORBIDDEN, "bản ghi này thuộc đơn vị ngoài phạm vi "
	    "được giao của bạn"), false;
}
