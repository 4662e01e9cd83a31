#!/bin/sh
# tools/install.sh - lay out an installed giapranh (`make install`):
#   PREFIX/bin/giapranh                       the optimised server
#   PREFIX/share/giapranh/static/             the pages' own CSS and scripts
#   PREFIX/share/giapranh/node_modules/...    the front-end libraries it serves
#                                             (`giapranh assets` lists them)
#   PREFIX/share/giapranh/data/               administrative units, demo set
#   PREFIX/share/giapranh/docs/guide/img/     the user guide's screenshots (/guide)
#   PREFIX/share/doc/giapranh/                README, docs
#   SYSCONFDIR/giapranh/giapranh.env          settings (kept when present)
#   UNITDIR/giapranh.service                  the systemd unit
# Everything under DESTDIR when given (packaging, tests).  Nothing is
# started, no user is made: the unit's DynamicUser makes its own.
#
# usage: sh tools/install.sh --bin PATH [--prefix /usr/local] [--destdir DIR]
#                            [--sysconfdir /etc] [--unitdir /etc/systemd/system]
set -eu

BIN= PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc UNITDIR=/etc/systemd/system
while [ $# -gt 0 ]; do
	case "$1" in
	--bin) BIN=$2; shift 2 ;;
	--prefix) PREFIX=$2; shift 2 ;;
	--destdir) DESTDIR=$2; shift 2 ;;
	--sysconfdir) SYSCONFDIR=$2; shift 2 ;;
	--unitdir) UNITDIR=$2; shift 2 ;;
	*) echo "install.sh: không hiểu tham số '$1'" >&2; exit 2 ;;
	esac
done
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
	echo "install.sh: thiếu chương trình đã dịch (--bin), hãy chạy 'make install'" >&2
	exit 2
fi
for f in $("$BIN" assets); do
	if [ ! -f "$SRC/$f" ]; then
		echo "install.sh: thiếu $f - hãy chạy 'npm ci' (make deps) trước" >&2
		exit 2
	fi
done

share=$DESTDIR$PREFIX/share/giapranh
install -d "$DESTDIR$PREFIX/bin" "$share/static" "$share/data" \
    "$DESTDIR$PREFIX/share/doc/giapranh" "$DESTDIR$SYSCONFDIR/giapranh" "$DESTDIR$UNITDIR"
install -m 0755 "$BIN" "$DESTDIR$PREFIX/bin/giapranh"
cp -R "$SRC/static/." "$share/static/"
for f in $("$BIN" assets); do
	install -D -m 0644 "$SRC/$f" "$share/$f"
done
cp -R "$SRC/data/admin-units" "$SRC/data/demo" "$share/data/"
# /guide shows them from --root (http/server.c: /static/guide/)
install -d "$share/docs/guide/img"
install -m 0644 "$SRC"/docs/guide/img/*.png "$share/docs/guide/img/"
install -m 0644 "$SRC/README.md" "$DESTDIR$PREFIX/share/doc/giapranh/"
cp "$SRC"/docs/*.md "$DESTDIR$PREFIX/share/doc/giapranh/"
cp -R "$SRC/docs/guide" "$DESTDIR$PREFIX/share/doc/giapranh/"
if [ ! -f "$DESTDIR$SYSCONFDIR/giapranh/giapranh.env" ]; then
	install -m 0644 "$SRC/deploy/giapranh.env" "$DESTDIR$SYSCONFDIR/giapranh/giapranh.env"
fi
sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" \
    "$SRC/deploy/giapranh.service.in" >"$DESTDIR$UNITDIR/giapranh.service"
chmod 0644 "$DESTDIR$UNITDIR/giapranh.service"
echo "Đã cài giapranh vào $DESTDIR$PREFIX"
if [ -z "$DESTDIR" ]; then
	echo "  Chỉnh $SYSCONFDIR/giapranh/giapranh.env, rồi:"
	echo "  systemctl daemon-reload && systemctl enable --now giapranh"
fi
