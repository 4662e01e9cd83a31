"""
Disk full, for real: the server's SQLite database on a tiny tmpfs.

The database is made on ordinary disk (`init`, one admin user and token),
copied onto a tmpfs a little larger than it, and served from there.  Writes
go through the API until the file system is full; then:
  * a write answers 507 (Insufficient Storage) with a JSON error whose
    message is Vietnamese ("ổ đĩa đã đầy"), never a 200, never a crash, and
    reads still answer;
  * the form of a page answers an HTML error page, also 507;
  * after a restart every write that got a 2xx is there, every write that
    got an error is not (all or nothing, per request), and PRAGMA
    integrity_check says ok;
  * once space is freed (the tmpfs grown) writes work again.

Needs root (mount -t tmpfs); skipped with the reason otherwise.  Runs on
SQLite only (GIAPRANH_E2E_DB_URL selects PostgreSQL for the other tests).
"""
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile

import pytest
import requests

from conftest import BIN, E2E_DB_URL, _start, describe, post_login, run_cli

MARGIN = 1536 * 1024   # bytes of tmpfs beyond the database file
NOTE = "Ghi chú dài để lấp đầy ổ đĩa: " + "Xín Mần, Si Ma Cai. " * 90
MAX_WRITES = 2000      # a full disk must show long before this


def mount_tmpfs(path, size):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                          capture_output=True, text=True)


@pytest.fixture
def tiny_disk():
    if E2E_DB_URL:
        pytest.skip("disk full on SQLite only (GIAPRANH_E2E_DB_URL is set)")
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    tmp = tempfile.mkdtemp(prefix="giapranh-diskfull-")
    mnt = os.path.join(tmp, "mnt")
    os.mkdir(mnt)
    # the database, made on ordinary disk
    src = os.path.join(tmp, "base.db")
    run_cli(f"sqlite:{src}", "init")
    run_cli(f"sqlite:{src}", "user", "add", "--login", "disk_admin", "--role", "admin",
            stdin="mat-khau-dia-day\n")
    token = run_cli(f"sqlite:{src}", "token", "create",
                    "--login", "disk_admin").stdout.strip().splitlines()[-1]
    size = os.path.getsize(src) + MARGIN
    p = mount_tmpfs(mnt, size)
    if p.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.skip("cannot mount a tmpfs here: " + (p.stderr.strip() or "mount failed"))
    try:
        db = os.path.join(mnt, "gp.db")
        shutil.copyfile(src, db)
        yield {"tmp": tmp, "mnt": mnt, "db": db, "token": token, "size": size}
    finally:
        subprocess.run(["umount", "-l", mnt], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def start(disk):
    proc, port, log = _start(f"sqlite:{disk['db']}", disk["tmp"])
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + disk["token"]
    return proc, f"http://127.0.0.1:{port}", s, log


def stop(proc, log):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("server did not stop on SIGTERM")
    with open(log, "rb") as f:
        out = f.read().decode("utf-8", "replace")
    assert rc == 0, f"server exited with {rc}:\n{out[-3000:]}"
    assert "AddressSanitizer" not in out and "runtime error" not in out, out[-3000:]


def person(i):
    return {"full_name": f"Người thử số {i}", "note": NOTE}


def test_disk_full_is_clean_and_loses_nothing(tiny_disk):
    proc, base, s, log = start(tiny_disk)
    kept, refused, full = [], [], None
    stored = {}  # id -> the note as the 201 answer gave it (trimmed, NFC)
    try:
        for i in range(MAX_WRITES):
            r = s.post(base + "/api/v1/person", json=person(i), timeout=60)
            if r.status_code == 201:
                kept.append(r.json()["id"])
                stored[r.json()["id"]] = r.json()["note"]
                continue
            full = r
            refused.append(person(i)["full_name"])
            break
        assert full is not None, f"{MAX_WRITES} writes and the disk never filled"
        assert kept, "no write went through: " + describe(full)
        print(f"disk full after {len(kept)} acknowledged writes")
        # the answer to a write on a full disk
        assert full.status_code == 507, describe(full)
        assert "application/json" in full.headers.get("Content-Type", ""), describe(full)
        err = full.json()["error"]
        assert err["code"] == "insufficient_storage", describe(full)
        assert "ổ đĩa đã đầy" in err["message"], describe(full)
        # more writes fail the same way; none is acknowledged
        for i in range(5):
            r = s.post(base + "/api/v1/person", json=person(10_000 + i), timeout=60)
            if r.status_code == 201:  # SQLite found a free page: still kept
                kept.append(r.json()["id"])
                stored[r.json()["id"]] = r.json()["note"]
            else:
                assert r.status_code == 507, describe(r)
                refused.append(person(10_000 + i)["full_name"])
        # reads still answer
        r = s.get(base + f"/api/v1/person/{kept[0]}", timeout=60)
        assert r.status_code == 200, describe(r)
        # the HTML form answers an error page, not a crash or a 200
        page = requests.Session()
        r = post_login(page, base, {"login": "disk_admin", "password": "mat-khau-dia-day"},
                       timeout=60)
        if r.status_code == 303:  # signing in writes a session: may fail too
            home = page.get(base + "/", timeout=60)
            m = re.search(r'name="csrf-token" content="([^"]+)"', home.text)
            assert m, describe(home)
            r = page.post(base + "/e/person/new", data={
                "_csrf": m.group(1), "full_name": "Người nhập qua biểu mẫu",
                "note": NOTE}, allow_redirects=False, timeout=60)
        assert r.status_code in (507, 503), describe(r)
        assert "text/html" in r.headers.get("Content-Type", ""), describe(r)
        assert "ổ đĩa đã đầy" in r.text, describe(r)
        refused.append("Người nhập qua biểu mẫu")
    finally:
        stop(proc, log)

    # after a restart, every acknowledged write is there, the file is sound
    db = sqlite3.connect(tiny_disk["db"])
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.execute("SELECT id, full_name, note FROM person").fetchall()
    finally:
        db.close()
    got = {rid for rid, _, _ in rows}
    assert set(kept) <= got, f"lost: {sorted(set(kept) - got)}"
    # an error answer means nothing was written - whenever the error came
    written = {name for _, name, _ in rows}
    assert not written & set(refused), f"answered an error but written: " \
        f"{sorted(written & set(refused))}"
    # and what is there is whole (the note is the longest field)
    torn = [rid for rid, _, note in rows if rid in stored and note != stored[rid]]
    assert not torn, f"records not as written: {torn}"

    # space is back: the tmpfs grows, the server writes again
    p = subprocess.run(["mount", "-o", f"remount,size={tiny_disk['size'] * 4}",
                        tiny_disk["mnt"]], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    proc, base, s, log = start(tiny_disk)
    try:
        for i in kept[:: max(1, len(kept) // 20)]:
            r = s.get(base + f"/api/v1/person/{i}", timeout=60)
            assert r.status_code == 200, describe(r)
        r = s.post(base + "/api/v1/person", json=person(20_000), timeout=60)
        assert r.status_code == 201, describe(r)
    finally:
        stop(proc, log)
