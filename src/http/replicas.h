/*
 * replicas.h - where the reads of GET requests go (serve --db-read URL,
 * given once per standby).
 *
 * Reads are spread over the standbys, round robin per worker thread: each
 * read takes the next.  A standby is passed over, never an error:
 *   - down: it could not be opened or a check failed; tried again after
 *     REPLICA_RETRY_MS (back-off);
 *   - lagging: its lag (store_replica_status, re-measured every
 *     REPLICA_CHECK_MS) is over the bound (REPLICA_LAG_MAX_MS, or
 *     serve --replica-lag-max-ms);
 * and when none will do the read goes to the primary.
 *
 * Read-your-writes: after a state-changing request of a signed-in user the
 * primary's WAL position (store_wal_position) is remembered for that user;
 * the user's next reads go to a standby only once it has replayed that far,
 * waiting up to REPLICA_RYW_WAIT_MS, else to the primary.  The memory is a
 * fixed table of REPLICA_RYW_USERS slots; a user pushed out of it leaves
 * their position as a floor every reader must see, so that forgetting
 * never makes a read older than its reader's write.
 *
 * Every worker has its own connection to each standby (as to the primary);
 * the standbys' state (back-off, last lag) is shared between workers.
 */
#ifndef GIAPRANH_REPLICAS_H
#define GIAPRANH_REPLICAS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* At start, before the workers run: the standbys' URLs (at most
 * REPLICAS_MAX; the rest are ignored) and the lag bound (0: the default). */
void replicas_init(const char *const *urls, size_t n, unsigned lag_max_ms);
/* How many standbys are configured. */
size_t replicas_count(void);

/* The store for a read of user_id (0: anonymous), on this worker thread:
 * a standby's, or primary when none will do.  Never fails. */
struct store *replicas_pick(int64_t user_id, struct store *primary);

/* user_id (not 0) made a state-changing request on primary: their next
 * reads must see it. */
void replicas_wrote(int64_t user_id, struct store *primary);

/* At shutdown, after the workers stopped: close every standby connection. */
void replicas_close_all(void);

#endif
