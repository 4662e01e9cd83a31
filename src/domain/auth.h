/*
 * auth.h - who is asking, and may they.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str).  Session
 * cookies and API tokens are 256-bit random secrets; the database keeps only
 * their BLAKE2b hash.  Failed sign-ins are throttled per login and per
 * address in memory.
 *
 * Permissions: a user holds grants (role on a unit subtree or an
 * organisation, or national when neither, plus a security clearance).
 *   read:  every signed-in user reads everything except admin-only entities
 *          (users, grants, audit log: admins) and confidential records
 *          (a grant with clearance is needed; without it they do not exist);
 *   write: viewer never; editor/approver/admin when one of their grants
 *          covers the record as the write rule of its entity says
 *          (enum write_rule, registry.h; the table in docs/SECURITY.md):
 *          its unit inside the grant's subtree (through the 2025 lineage
 *          too), its organisation, its owner record, or its creator.  No
 *          entity is writable by default: a record whose rule finds nothing
 *          is writable by national grants and admins only; reference data
 *          and admin entities by admins; the history and audit log by
 *          nobody.  Confidential records only with clearance.
 * The checks come before the input is judged: auth_can_write_entity
 * before a body is parsed (a viewer gets 403, not a list of bad fields),
 * then auth_can_write on the exact record inside the write's transaction.
 */
#ifndef GIAPRANH_AUTH_H
#define GIAPRANH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/registry.h"
#include "store/store.h"

/* A role on a unit subtree or an organisation (role_grant). */
enum role { ROLE_NONE = 0, ROLE_VIEWER, ROLE_EDITOR, ROLE_APPROVER, ROLE_ADMIN };

#define USER_GRANTS_MAX 16

struct grant {
	enum role role;
	int64_t unit_id;  /* 0 = no unit scope                         */
	int64_t org_id;   /* 0 = no organisation scope                 */
	bool national;    /* no unit and no organisation: everything    */
	bool clearance;   /* may see confidential records               */
};

struct user {
	int64_t id;       /* 0 = anonymous */
	char login[64];
	char display_name[200];
	struct grant grants[USER_GRANTS_MAX];
	size_t ngrants;
	bool via_token;   /* Bearer token (no CSRF needed), else cookie   */
	char csrf[64];    /* the session's CSRF token (cookie sessions)   */
};

#define AUTH_TOKEN_LEN   43   /* base64url of 32 random bytes             */
#define AUTH_HASH_HEX    64   /* hex of a 32-byte BLAKE2b hash            */
#define SESSION_COOKIE   "gp_session"

int auth_init(void); /* sodium_init; -1 when the library cannot start */

int auth_hash_password(const char *password, char *out, size_t outlen);
bool auth_check_password(const char *hash, const char *password);

/* Create a user with one grant.  role: viewer|editor|approver|admin;
 * unit_code (2025 code if valid today, else the latest) or org_id scope
 * it; neither = national. */
int auth_user_add(struct store *s, const char *login, const char *display,
    const char *password, const char *role, const char *unit_code,
    int64_t org_id, bool clearance, struct err *e);

/* New API token for a user; the token (shown once) goes to out. */
int auth_token_create(struct store *s, const char *login, const char *label,
    char *out, size_t outlen, struct err *e);

/* Sign in: checks throttling and the password, creates a session; the
 * cookie value goes to token.  ERR_UNAUTHORIZED or ERR_THROTTLED. */
int auth_sign_in(struct store *s, const char *login, const char *password,
    const char *ip, char *token, size_t tokenlen, struct err *e);
void auth_sign_out(struct store *s, const char *token);

/* Fill u from a session cookie or a Bearer token: 1 when valid, 0 when
 * not (u is then anonymous), -1 when the database could not tell (e set:
 * the request must fail with 503, not pass as anonymous). */
int auth_from_cookie(struct store *s, const char *token, struct user *u,
    struct err *e);
int auth_from_bearer(struct store *s, const char *token, struct user *u,
    struct err *e);

/* A user and their grants by login (the CLI's --as LOGIN): 0, or -1 with
 * ERR_NOT_FOUND. */
int auth_user_by_login(struct store *s, const char *login, struct user *u,
    struct err *e);

/* Permission checks (see the top of this file). */
bool auth_is_admin(const struct user *u);
bool auth_has_clearance(const struct user *u);
/* Holds an approver or admin grant (workflow approvals). */
bool auth_is_approver(const struct user *u);
bool auth_can_read_entity(const struct user *u, const struct entity_def *ent);
bool auth_can_read(struct store *s, const struct user *u,
    const struct entity_def *ent, const json_t *rec);
/* May u write records of ent at all (its role and the entity's rule),
 * before any input is read: 401/403 in e when not. */
bool auth_can_write_entity(const struct user *u, const struct entity_def *ent,
    struct err *e);
/* rec: the record as it is (update/delete) or will be (create).  A lookup
 * that failed (the database) answers false with that error in e. */
bool auth_can_write(struct store *s, const struct user *u,
    const struct entity_def *ent, const json_t *rec, struct err *e);

/* Constant-time comparison of two NUL-terminated secrets. */
bool auth_secret_equal(const char *a, const char *b);

#endif
