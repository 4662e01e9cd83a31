/*
 * server_config.h - how `giapranh serve` runs (main.c fills it): what the
 * server (server.h) and its confinement (confine.h) both read.
 */
#ifndef GIAPRANH_SERVER_CONFIG_H
#define GIAPRANH_SERVER_CONFIG_H

#include "base/gplimits.h"

struct server_config {
	const char *listen;     /* "127.0.0.1:8080"                        */
	const char *db_url;     /* store URL                                */
	const char *db_read_url;/* the first read replica, or NULL          */
	/* every read replica (--db-read, once per standby; replicas.h) */
	const char *db_read_urls[REPLICAS_MAX];
	unsigned ndb_read;
	unsigned replica_lag_max_ms;/* 0 = REPLICA_LAG_MAX_MS             */
	const char *root;       /* directory holding static/ and node_modules/ */
	const char *files_dir;  /* attachments (content-addressed)       */
	/* map tiles, "https://HOST/{z}/{x}/{y}.png" (--tile-url): NULL, the
	 * default, draws the map on the shipped boundaries alone (offline) */
	const char *tile_url;
	unsigned threads;       /* 0 = one per core                          */
	int quiet;              /* no access log                             */
	int log_json;           /* access log lines as JSON objects          */
	const char *tls_cert;   /* PEM certificate file: serve HTTPS (else HTTP) */
	const char *tls_key;    /* PEM private key file                      */
	const char *run_as;     /* started as root: the user to become after binding */
	int no_confine;         /* no Landlock confinement (confine.h)       */
	/* reminders (http/daily.h): the digests mailed once a day */
	const char *smtp_url;   /* smtp://host:port of the relay, or NULL    */
	const char *smtp_from;  /* the sender's address                      */
	const char *site_url;   /* the links' base in the mails, or NULL     */
	int remind_daily;       /* mail the digests once a day               */
	unsigned remind_days;   /* due within this many days                 */
	unsigned remind_hour;   /* not before this local hour                */
	/* limits (gplimits.h); lower ones only in tests (main.c) */
	unsigned connections_max;        /* HTTP_CONNECTIONS_MAX             */
	unsigned connections_per_address;/* HTTP_CONNECTIONS_PER_ADDRESS; 0 = none */
	unsigned header_deadline_s;      /* HTTP_HEADER_DEADLINE_S           */
	unsigned request_deadline_s;     /* HTTP_REQUEST_DEADLINE_S          */
	/* TCP ports the webhook sender may connect to under Landlock
	 * (--webhook-port; docs/WEBHOOKS.md) */
	unsigned short webhook_ports[WEBHOOK_PORTS_MAX];
	unsigned nwebhook_ports;
};

#endif
