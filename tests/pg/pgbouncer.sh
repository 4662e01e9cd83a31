#!/bin/sh
# Start PgBouncer in transaction mode in front of a server of
# tests/pg/start.sh and print the URL the server is given.
#
#   tests/pg/pgbouncer.sh PRIMARY_DIR DIR
#
# PgBouncer listens only on a Unix socket in DIR (port 6432: the socket is
# DIR/.s.PGSQL.6432), trusts local clients, and pools every database of the
# primary in transaction mode - a server session is lent for one transaction
# (or one statement outside a transaction), so named prepared statements and
# session settings do not carry over; the URL ends in pool_mode=transaction,
# which tells the store so (store.h: store_pg_url).  As root it runs as the
# "giapranh-test" user.  Stop it with: kill $(cat DIR/pgbouncer.pid).
# Installs Debian's pgbouncer package when missing.
set -eu
PRIMARY=$1
DIR=$2
if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
	echo "installing pgbouncer (apt-get)" >&2
	if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer >&2
fi
PGB=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

. "$(dirname "$0")/owner.sh"
own_dir "$DIR"
cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
* = host=$PRIMARY user=postgres

[pgbouncer]
listen_addr =
listen_port = 6432
unix_socket_dir = $DIR
auth_type = trust
admin_users = postgres
auth_file = $DIR/users.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 200
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
ignore_startup_parameters = extra_float_digits
EOF
echo '"postgres" ""' >"$DIR/users.txt"
if [ ! -f "$DIR/pgbouncer.pid" ] || ! kill -0 "$(cat "$DIR/pgbouncer.pid")" 2>/dev/null; then
	as_owner "$PGB" -d "$DIR/pgbouncer.ini" >&2
	i=0
	while [ ! -S "$DIR/.s.PGSQL.6432" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$DIR/.s.PGSQL.6432" ] || { cat "$DIR/pgbouncer.log" >&2; exit 1; }
fi
echo "postgresql:///postgres?host=$DIR&port=6432&user=postgres&pool_mode=transaction"
