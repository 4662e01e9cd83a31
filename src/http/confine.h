/*
 * confine.h - Landlock confinement of `giapranh serve`.
 *
 * Once its port is bound (before the worker threads exist, since Landlock
 * restricts the calling thread and the threads it creates later), the server
 * restricts itself - and LibreOffice, which it starts for PDF reports - to:
 *
 *   read + execute   /usr and the /lib*, /bin, /sbin links, /opt
 *   read             /etc, /proc, /sys, /var/cache/fontconfig, the static
 *                    files (ROOT/static, ROOT/node_modules), a PostgreSQL
 *                    socket directory
 *   read + write     the SQLite database's directory (-wal, -shm, -journal
 *                    live next to it), the attachments directory, $TMPDIR,
 *                    /tmp, /var/tmp, /dev/shm, and /dev/null, /dev/zero,
 *                    /dev/full, /dev/random, /dev/urandom
 *   TCP (ABI >= 4)   bind: the listening port only; connect: the
 *                    PostgreSQL port(s) of the database URLs only (none
 *                    for SQLite): report generation has no network
 *   scopes (ABI 6)   no abstract UNIX socket or signal outside the server
 *
 * Everything else (home directories, other databases, the source tree,
 * /var, /srv, /root) is out of reach, whatever the uid.  Each Landlock ABI
 * adds rights; the rules use what the running kernel knows
 * (best effort) and the log line says which ABI was applied.  no_new_privs
 * is set in every case (nothing the server starts can gain privileges).
 */
#ifndef GIAPRANH_CONFINE_H
#define GIAPRANH_CONFINE_H

#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "http/server_config.h"

/* Confine the calling process for `serve` with cfg, allowing TCP bind on
 * listen_port.  Prints one line to stderr: "giapranh: landlock: ABI N,
 * confined (...)" or "giapranh: landlock: not available (...)".  Returns
 * the ABI applied (> 0), 0 when the kernel has no Landlock, -1 on failure
 * (message in e; the server must not start half-confined). */
int confine_server(const struct server_config *cfg, uint16_t listen_port,
    struct err *e);

/* One probe of `giapranh confine-check`, run after confine_server:
 *   read:PATH    open PATH for reading (a directory: list it)
 *   write:PATH   open an existing file for writing (O_APPEND; nothing written)
 *   create:DIR   create and remove a file DIR/.confine-check-PID
 *   exec:PATH    run PATH (no arguments; its exit status is ignored)
 *   tcp:PORT     connect to 127.0.0.1:PORT
 * Prints "allowed SPEC" or "denied SPEC (reason)" - an error other than
 * EACCES/EPERM (e.g. ECONNREFUSED, ENOENT) means Landlock let the call
 * through, so it prints "allowed SPEC (reason)".  Returns 0 allowed, 1
 * denied, 2 bad spec. */
int confine_probe(const char *spec, FILE *out);

#endif
