/*
 * webhook.h - webhooks for integrators (issue 18 part 5, docs/WEBHOOKS.md).
 *
 * An administrator registers URLs (entity webhook: target_url, a
 * write-only secret, an entity filter, active).  Every write of a record
 * through records.c - create, update (a workflow move when its status
 * changed), delete - queues one delivery per active webhook that takes the
 * entity, in the write's own transaction (entity webhook_delivery: the
 * outbox): a write undone queues nothing, a write kept always has its
 * deliveries.  After commit, the server's sender thread POSTs each
 * delivery's JSON with
 *
 *   Content-Type: application/json
 *   X-Giapranh-Event: record.created | record.updated | record.deleted |
 *                     workflow.moved
 *   X-Giapranh-Delivery: the delivery's id (a UUID; a receiver drops one
 *                        it has seen: no replay)
 *   X-Giapranh-Timestamp: seconds since 1970 when signed (a receiver
 *                         refuses one too old: no replay later)
 *   X-Giapranh-Signature: sha256=HEX, HMAC-SHA256 with the webhook's secret
 *                         of "TIMESTAMP.BODY"
 *
 * and keeps the outcome (status, attempts, last HTTP status, last error):
 * a 2xx answer delivers; anything else is tried again after a backoff
 * that doubles (WEBHOOK_BACKOFF_FIRST_S .. WEBHOOK_BACKOFF_MAX_S) until
 * WEBHOOK_ATTEMPTS_MAX attempts, then the delivery has failed.
 *
 * Confidential records (and deletes, whose record is gone) are never sent
 * with their content: the event says only which entity and id, with
 * "record": null and "content_withheld": true.  Admin-only entities (users, grants) are sent only
 * to a webhook that names them; logs and the webhooks' own tables never.
 */
#ifndef GIAPRANH_WEBHOOK_H
#define GIAPRANH_WEBHOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "domain/actor.h"
#include "schema/registry.h"
#include "store/store.h"

#define WEBHOOK_SIGNATURE_LEN 72 /* "sha256=" + 64 hex digits + NUL */
#define WEBHOOK_UUID_LEN      37

/* The events (X-Giapranh-Event and the body's "event"). */
#define WEBHOOK_CREATED "record.created"
#define WEBHOOK_UPDATED "record.updated"
#define WEBHOOK_DELETED "record.deleted"
#define WEBHOOK_MOVED   "workflow.moved"

/* Queue the deliveries of one write, inside its transaction: action is
 * "create", "update" or "delete"; before and after the record as stored
 * (NULL where there is none).  0 when nothing is to be sent, too. */
int webhook_enqueue(struct store *s, const struct entity_def *ent,
    const char *action, int64_t id, const json_t *before, const json_t *after,
    const struct actor *who, struct err *e);

/* Whether a webhook's entity filter (names separated by ';', ',' or
 * spaces; empty: every entity that is not admin-only) takes ent. */
bool webhook_filter_takes(const char *filter, const struct entity_def *ent);

/* "sha256=HEX" of HMAC-SHA256(secret, timestamp "." body). */
void webhook_sign(const char *secret, const char *timestamp, const char *body,
    size_t len, char out[WEBHOOK_SIGNATURE_LEN]);

/* Seconds to wait after `attempts` failed attempts (>= 1) before the next:
 * WEBHOOK_BACKOFF_FIRST_S doubled each time, at most WEBHOOK_BACKOFF_MAX_S
 * (GIAPRANH_TEST_WEBHOOK_BACKOFF_S, for tests, replaces the first). */
long webhook_backoff_s(int attempts);

/* One pass of the sender: each pending delivery due now is taken (no
 * other sender sends it too), sent once and its outcome kept.  The number
 * of deliveries tried, or -1 (e set) when the outbox could not be read. */
int webhook_deliver_due(struct store *s, struct err *e);

/* The sender thread of `serve`: its own connection to db_url, a pass
 * every WEBHOOK_POLL_MS.  Stop waits for the attempt in flight (at most
 * WEBHOOK_TIMEOUT_S). */
int webhook_worker_start(const char *db_url, struct err *e);
void webhook_worker_stop(void);

#endif
