# tests/pg/owner.sh - sourced by start.sh, standby.sh and pgbouncer.sh: the
# test servers run as an unprivileged user (postgres refuses root); as root
# that is TEST_USER, made when missing, otherwise the caller itself.
TEST_USER=giapranh-test
if [ "$(id -u)" -eq 0 ]; then
	if ! id "$TEST_USER" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$TEST_USER"
	fi
	# as_owner CMD...: run as the servers' owner (never root)
	as_owner() { runuser -u "$TEST_USER" -- "$@"; }
else
	as_owner() { "$@"; }
fi

# own_dir DIR: make DIR for a server, the owner's; its socket must be
# reachable by every test user
own_dir() {
	mkdir -p "$1"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$TEST_USER" "$1"
		chmod 755 "$1"
	fi
}
