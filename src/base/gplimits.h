/*
 * gplimits.h - every limit of the system, in one place (as httpd's
 * SERVER_MAX* and SQLite's sqliteLimit.h).  Fed to libmicrohttpd options,
 * validation, import and report caps.
 */
#ifndef GIAPRANH_LIMITS_H
#define GIAPRANH_LIMITS_H

#define ERR_MSG_MAX            512     /* one error message                  */
#define TEXT_FIELD_MAX_DEFAULT 2000    /* characters in a text field          */
#define TEXT_LONG_MAX          100000  /* characters in a long text (notes)   */
#define SQL_MAX                16384   /* one generated SQL statement         */
/* A report's units (store_unit_set_read) as one JSON text; a larger
 * subtree (~40,000 units) is computed in each statement instead. */
#define UNIT_SET_JSON_MAX      (256u << 10)
#define SQL_PARAMS_MAX         128     /* bound parameters in one statement   */
#define LIST_LIMIT_DEFAULT     50      /* rows per page                       */
#define LIST_LIMIT_MAX         1000    /* rows one list call may return       */
#define LIST_FILTERS_MAX       16      /* ?field=value filters in one list    */
#define LIST_OFFSET_MAX        1000000000 /* ?limit= and ?offset= of a list: a
                                          * page's links add them up          */
#define SEARCH_QUERY_MAX       200     /* bytes of a ?q= search               */
#define CATALOG_CODE_MAX       64      /* bytes of a catalog code (catalog_item.code) */
#define STMT_CACHE_SIZE        128     /* prepared statements per connection  */
#define STORE_REF_CACHE_SLOTS  16384   /* slots for references a bulk load remembers (half used) */
#define DB_BUSY_TIMEOUT_MS     5000    /* wait for a lock before giving up    */
/* bytes of one CSV or XLSX cell: a long text whole (4 bytes a character at
 * most in UTF-8) and the apostrophe of the formula guard, so that what the
 * export writes imports again */
#define IMPORT_FIELD_MAX       (TEXT_LONG_MAX * 4 + 1)
#define IMPORT_ROWS_MAX        5000000 /* rows of one import file             */
#define IMPORT_FILE_MAX        ((size_t)1 << 30) /* bytes of an import file */
#define IMPORT_ERRORS_SHOWN    200     /* bad rows listed in one report       */
#define EXCHANGE_CODES_MAX     200000  /* exchange_code rows one exchange reads (dhis2.c) */
#define EXCHANGE_VALUES_MAX    1000000 /* values of one indicator and period an export reads */
/* Import in the browser (pages_import.c): a file is uploaded, checked and
 * shown, then written (or not) when the user confirms */
#define IMPORT_WEB_FILE_MAX    (4u << 20)  /* bytes of a file uploaded on /import  */
#define IMPORT_WEB_ROWS_MAX    10000   /* data rows of such a file                 */
/* cells of such a CSV file, counted before it is read into memory (a row
 * of commas would be millions of empty cells) */
#define IMPORT_WEB_CELLS_MAX   (IMPORT_WEB_ROWS_MAX * 64)
#define IMPORT_PREVIEW_ROWS    100     /* good rows the preview shows              */
#define IMPORT_HELD_MAX        32      /* uploads waiting for a confirm at once    */
#define IMPORT_HELD_TTL_S      1800    /* a preview can be confirmed this long     */
#define IMPORT_TEMPLATE_ROWS   2000    /* rows of a template with drop-down lists  */
#define IMPORT_TEMPLATE_CHOICES_MAX 1000 /* items of one drop-down list            */
#define IMPORT_TEMPLATE_FILE_MAX (4u << 20) /* bytes of a template workbook       */
/* Reminders (domain/remind.h) and their e-mail (domain/mail.h) */
#define REMIND_DAYS_DEFAULT    7       /* "due within N days" when not given       */
#define REMIND_DAYS_MAX        90      /* the largest N asked for                  */
#define REMIND_ITEMS_MAX       200     /* items of one user's list or digest       */
#define REMIND_ROWS_MAX        100000  /* tasks, recommendations... read per run   */
#define REMIND_CACHE_SLOTS     256     /* users whose count of items is remembered */
#define REMIND_CHECK_S         600     /* the server looks whether a day began     */
#define REMIND_HOUR_DEFAULT    7       /* the server mails from this local hour on */
#define MAIL_ADDRESS_MAX       254     /* bytes of an e-mail address (RFC 5321)    */
#define MAIL_MESSAGE_MAX       (1u << 20) /* bytes of one message as sent          */
#define MAIL_TIMEOUT_S         60      /* one message to the relay, at most        */
#define CANON_LEFT_SHOWN       1000    /* rows init lists as not canonicalised */
#define DEMO_KEYS_MAX          4096    /* symbolic keys in the demo data      */
#define WORKFLOW_STATES_MAX    16      /* states of one workflow (workflow.c) */
#define PATH_MAX_GP            4096    /* file paths we build                 */
#define INGEST_PROPOSALS_JSON_MAX 4000000 /* characters of a stored proposal set */
#define CONFIDENTIAL_DEPTH_MAX 3      /* owner links followed to a confidential record */
#define WRITE_RULE_DEPTH_MAX   6       /* parent records followed by a write rule */
#define MAP_PLACES_MAX         5000    /* records of one kind on the map (store_places) */
#define CHART_PERIODS_MAX      12      /* periods of a target set's achievement chart */
#define GEO_FILE_MAX           (8u << 20) /* one shipped boundary file (geo.c) */
#define GEO_UNITS_MAX          1000    /* units of one boundary file            */
#define CHART_MONTHS_MAX       240     /* months on one chart's axis (20 years) */
#define SCOPE_IDS_MAX          16      /* units (organisations) one record belongs to */
#define CONFINE_PATHS_MAX      48      /* Landlock path rules (confine.c)     */
#define CONFINE_PORTS_MAX      16      /* Landlock TCP port rules             */

/* HTTP server */
#define HTTP_BODY_MAX          (20u << 20) /* bytes of a request body (uploads) */
#define HTTP_JSON_BODY_MAX     (2u << 20)  /* bytes of a JSON or form body       */
/* per-connection memory of libmicrohttpd: the request's headers (up to
 * ~12 KB; more gets 431, as Apache's 8 KB per field) and the answer's.
 * It zeroes the whole of it for every request, and 200 connections of
 * 64 KB no longer fit the CPU caches: 16 KB halved the instructions of a
 * small answer (callgrind) and bounds 1,024 connections to 16 MB. */
#define HTTP_HEADER_MEMORY     (16u << 10)
/* a request's line and headers: over it, 431 with a reply small enough for
 * what is left of HTTP_HEADER_MEMORY (a full answer's headers were not:
 * libmicrohttpd then closed the connection without one, issue 13) */
#define HTTP_REQUEST_HEAD_MAX  (12u << 10)
#define HTTP_CONNECTIONS_MAX   1024        /* open connections                   */
/* open connections from one address (libmicrohttpd refuses more at once):
 * one client holding idle sockets cannot take every slot.  Room for an
 * office behind one NAT address (browsers open up to 6 per site, kept
 * alive); `serve --connections-per-address` changes it (0 = no limit,
 * behind a reverse proxy, where every connection comes from the proxy). */
#define HTTP_CONNECTIONS_PER_ADDRESS 128
#define HTTP_TIMEOUT_S         30          /* idle or slow connection (seconds)  */
#define HTTP_HEADER_DEADLINE_S 30          /* all of a request's headers (slowloris) */
/* all of a request, headers and body, from when the connection began to
 * wait for it: a body sent a byte at a time is cut (the idle timeout never
 * fires on it).  20 MB (HTTP_BODY_MAX) in 300 s is 0.56 Mbit/s. */
#define HTTP_REQUEST_DEADLINE_S 300
#define HTTP_SHUTDOWN_WAIT_S   10          /* finish requests in flight          */
#define LOGIN_FORM_MAX_AGE_S   7200        /* a sign-in form's CSRF cookie        */
#define HTTP_GZIP_MIN          1024        /* smaller bodies go uncompressed     */
#define HTTP_STATIC_FILE_MAX   (8u << 20)  /* a static asset                    */
#define TLS_FILE_MAX           (64u << 10) /* a PEM certificate or key       */
#define HTTP_THREADS_MAX       64          /* worker threads                     */
/* /metrics (http/metrics.h): counters live in fixed tables */
#define METRICS_ROUTES_MAX     160         /* routes counted apart (53 today)    */
#define METRICS_TABLES_MAX     24          /* route tables                       */
#define METRICS_CACHES_MAX     8           /* answer caches reported             */
#define HTML_PAGE_MAX          (4u << 20)  /* one rendered page                  */
#define FORM_ROWS_MAX          50          /* records one form adds at once      */
#define FORM_ROWS_SHOWN        5           /* empty rows such a form starts with */
#define JSON_RESPONSE_MAX      (64u << 20) /* one JSON response                  */

/* Answer caches (cache.h, auth.c): bounded, invalidated by the data version */
#define VALUE_CACHE_ENTRIES    64          /* summary and values answers kept    */
#define VALUE_CACHE_BYTES      (8u << 20)  /* their bodies, gzip copies included */
#define VALUE_CACHE_ENTRY_MAX  (2u << 20)  /* a larger answer is not kept        */
#define VALUE_CACHE_KEY_MAX    256         /* bytes of a key                     */
#define UNIT_CACHE_ENTRIES     4096        /* unit_by_code answers kept          */
#define UNIT_CACHE_BYTES       (4u << 20)  /* their bodies                       */
#define UNIT_CACHE_ENTRY_MAX   (64u << 10) /* a larger answer is not kept        */
#define AUTH_CACHE_SLOTS       256         /* API tokens remembered (direct-mapped) */
#define AUTH_CACHE_TTL_S       30          /* longest a remembered token lives   */

/* Read replicas (serve --db-read, http/replicas.h): PostgreSQL streaming
 * standbys that take the reads of GET requests */
#define REPLICAS_MAX           8           /* --db-read given this many times    */
/* A standby further behind than this is skipped (its reads go to another
 * standby or the primary): lag in time, as an operator reads it, measured
 * on the standby (replica_status_sql in store_pg.c) */
#define REPLICA_LAG_MAX_MS     5000
#define REPLICA_CHECK_MS       250         /* re-measure a standby's lag after   */
#define REPLICA_RETRY_MS       5000        /* a standby that failed: back-off    */
/* Read-your-writes: a user's read after their write waits this long for a
 * standby to replay the write, polling, then goes to the primary */
#define REPLICA_RYW_WAIT_MS    100
#define REPLICA_RYW_POLL_MS    2
#define REPLICA_RYW_USERS      4096        /* users' last writes remembered      */

/* Reorganisations of administrative units (domain/reorg.c) */
#define REORG_FILE_MAX         (4u << 20)  /* bytes of a reorganisation CSV      */
#define REORG_ROWS_MAX         20000       /* its rows (2025's whole country: 14,000) */
#define REORG_ERRORS_SHOWN     200         /* bad cells listed in one answer     */

/* Webhooks (domain/webhook.c, docs/WEBHOOKS.md) */
#define WEBHOOKS_MAX           100         /* active webhooks one write is sent to */
#define WEBHOOK_ATTEMPTS_MAX   8           /* attempts before a delivery fails  */
#define WEBHOOK_BACKOFF_FIRST_S 30         /* wait after the first failure, doubled */
#define WEBHOOK_BACKOFF_MAX_S  3600        /* the longest wait between attempts */
#define WEBHOOK_TIMEOUT_S      10          /* one attempt, connection included  */
#define WEBHOOK_CONNECT_TIMEOUT_S 5        /* its connection                    */
#define WEBHOOK_POLL_MS        1000        /* the sender looks for due deliveries */
#define WEBHOOK_BATCH          50          /* deliveries one pass takes         */
#define WEBHOOK_ERROR_MAX      300         /* characters of a kept error        */
#define WEBHOOK_PORTS_MAX      8           /* --webhook-port: TCP ports Landlock lets it reach */

#endif
