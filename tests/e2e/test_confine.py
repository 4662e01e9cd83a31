"""
Landlock confinement of `giapranh serve` (src/http/confine.c, docs/SECURITY.md).

Two views of the same rules:
  * `giapranh confine-check [serve options] PROBE...` applies the rules that
    `serve` applies, in-process, then tries each probe and prints
    "allowed PROBE" or "denied PROBE (reason)".  Each probe that must be
    denied is first run with `--no-confine`, which must allow it: the denial
    is Landlock's, not the file mode's.
  * a real server: pages, static files, attachments and reports work as
    usual, /proc/PID/status shows NoNewPrivs, and a static file that is a
    symbolic link to a world-readable file outside the allowed tree
    (/var/lib/dpkg/status) answers 404 confined and 200 with --no-confine.

Skipped where the kernel has no Landlock.
"""
import os
import shutil
import signal
import socket
import subprocess

import pytest
import requests

from conftest import BIN, REPO, SHUTDOWN_TIMEOUT, _start, post_login, run_cli

OUTSIDE_FILE = "/var/lib/dpkg/status"  # world-readable, outside every rule
ALLOWED_TREES = ("/tmp", "/var/tmp", "/dev/shm", "/usr", "/etc", "/proc", "/sys")


def landlock_abi():
    p = subprocess.run([BIN, "--db", "sqlite::memory:", "confine-check", "--files",
                        "/tmp", "read:/"], capture_output=True, text=True, timeout=30)
    for line in p.stderr.splitlines():
        if "landlock: ABI " in line:
            return int(line.split("landlock: ABI ")[1].split(",")[0])
    return None


ABI = landlock_abi()
pytestmark = pytest.mark.skipif(ABI is None, reason="kernel without Landlock")


def under(path, trees):
    path = os.path.realpath(path)
    return any(path == t or path.startswith(t + "/") for t in trees)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("confine"))
    db = f"sqlite:{tmp}/c.db"
    run_cli(db, "init", "--demo")
    token = run_cli(db, "token", "create", "--login", "admin").stdout.strip()
    # a root of static files: copies of ours, the npm libraries, and one link
    # to a file outside everything the server may read
    root = os.path.join(tmp, "root")
    shutil.copytree(os.path.join(REPO, "static"), os.path.join(root, "static"))
    os.symlink(os.path.join(REPO, "node_modules"), os.path.join(root, "node_modules"))
    os.symlink(OUTSIDE_FILE, os.path.join(root, "static", "leak.css"))
    # a program in the temporary directory (never executable when confined)
    shutil.copy("/bin/true", os.path.join(tmp, "true"))
    return {"tmp": tmp, "db": db, "token": token, "root": root}


def check(site, *probes, confine=True, db=None):
    args = [BIN, "--db", db or site["db"], "confine-check", "--root", site["root"],
            "--files", os.path.join(site["tmp"], "files")]
    if not confine:
        args.append("--no-confine")
    p = subprocess.run(args + list(probes), cwd=REPO, capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    out = {}
    for line in p.stdout.splitlines():
        if line.startswith(("allowed ", "denied ")):
            verdict, probe = line.split(" ", 2)[:2]
            out[probe] = verdict
    assert len(out) == len(probes), p.stdout
    if confine:
        assert f"landlock: ABI {ABI}, confined" in p.stderr, p.stderr
    return out


def test_what_the_server_needs_is_allowed(site):
    tmp = site["tmp"]
    probes = [
        f"read:{tmp}/c.db", f"write:{tmp}/c.db", f"create:{tmp}",        # database dir
        f"create:{tmp}/files", f"read:{tmp}/files",                     # attachments
        f"read:{site['root']}/static/app.css",                          # static files
        f"read:{REPO}/node_modules/htmx.org/dist/htmx.min.js",          # npm libraries
        "create:/tmp", "read:/etc/hostname", "read:/usr/share",         # system
        "exec:/bin/true",                                               # soffice & co
    ]
    got = check(site, *probes)
    assert all(v == "allowed" for v in got.values()), got


def test_what_it_does_not_need_is_denied(site):
    tmp = site["tmp"]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        probes = [f"read:{OUTSIDE_FILE}", "read:/var/lib/dpkg",
                  f"exec:{tmp}/true"]                 # nothing runs from /tmp
        if ABI >= 4:  # SQLite: no TCP connection at all (reports need no network)
            probes.append(f"tcp:{listener.getsockname()[1]}")
        if not under(REPO, ALLOWED_TREES):
            probes += [f"read:{REPO}/README.md", f"create:{REPO}",
                       f"write:{REPO}/static/app.css"]  # static files: read-only
        if os.geteuid() == 0:
            probes.append("create:/var/lib")
        free = check(site, *probes, confine=False)
        assert all(v == "allowed" for v in free.values()), free
        confined = check(site, *probes)
        assert all(v == "denied" for v in confined.values()), confined
    finally:
        listener.close()


@pytest.mark.skipif(ABI is None or ABI < 4, reason="TCP rules need Landlock ABI 4")
def test_postgresql_port_is_the_only_connection(site):
    a, b = socket.socket(), socket.socket()
    for s in (a, b):
        s.bind(("127.0.0.1", 0))
        s.listen(1)
    try:
        pa, pb = a.getsockname()[1], b.getsockname()[1]
        # the URL is only parsed (libpq), never connected to by confine-check
        got = check(site, f"tcp:{pa}", f"tcp:{pb}",
                    db=f"postgresql://127.0.0.1:{pa}/giapranh")
        assert got == {f"tcp:{pa}": "allowed", f"tcp:{pb}": "denied"}, got
    finally:
        a.close()
        b.close()


def start(site, *extra):
    # conftest's start: a fresh port per attempt, up once its log says so
    proc, port, log = _start(site["db"], site["tmp"], "--root", site["root"],
                             "--files", os.path.join(site["tmp"], "files"), *extra)
    return proc, f"http://127.0.0.1:{port}", log


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=SHUTDOWN_TIMEOUT) == 0


def no_new_privs(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("NoNewPrivs:"):
            return line.split()[1]
    return None


def test_confined_server_serves_as_usual(site):
    proc, base, log = start(site)
    try:
        assert no_new_privs(proc.pid) == "1"
        auth = {"Authorization": "Bearer " + site["token"]}
        for path in ("/static/app.css", "/static/vendor/htmx.min.js"):
            r = requests.get(base + path, timeout=60)
            assert r.status_code == 200 and r.content, path
        s = requests.Session()
        r = post_login(s, base, {"login": "admin", "password": "giapranh-demo"}, timeout=30)
        assert r.status_code == 303, r.text[:300]
        for path in ("/", "/reports", "/e/program"):
            r = s.get(base + path, timeout=30)
            assert r.status_code == 200, (path, r.status_code)
        # an attachment: stored under --files, read back
        up = requests.post(base + "/api/v1/attachment/upload", headers=dict(
            auth, **{"Content-Type": "text/plain"}), params={
            "owner_entity": "program", "owner_id": 1, "filename": "bien-ban.txt"},
            data="Biên bản họp (confine)\n".encode(), timeout=30)
        assert up.status_code == 201, up.text
        r = s.get(base + f"/files/{up.json()['id']}", timeout=30)
        assert r.status_code == 200 and "Biên bản họp" in r.content.decode()
        # reports, PDF included when LibreOffice is installed (it runs confined)
        formats = ["docx", "xlsx", "html"] + (["pdf"] if shutil.which("soffice") else [])
        for fmt in formats:
            r = requests.get(base + "/reports/build", headers=auth, params={
                "scope": "program:1", "period": "2024", "format": fmt}, timeout=120)
            assert r.status_code == 200, (fmt, r.text[:300])
            magic = {"docx": b"PK", "xlsx": b"PK", "html": b"<!doctype", "pdf": b"%PDF"}
            assert r.content.startswith(magic[fmt]), fmt
        # the link to a file outside the allowed tree is not followed
        assert requests.get(base + "/static/leak.css", timeout=60).status_code == 404
    finally:
        stop(proc)
    text = open(log, encoding="utf-8").read()
    assert f"landlock: ABI {ABI}, confined" in text, text[-2000:]


def test_without_confinement_the_same_link_is_served(site):
    proc, base, log = start(site, "--no-confine")
    try:
        assert no_new_privs(proc.pid) == "0"
        r = requests.get(base + "/static/leak.css", timeout=60)
        assert r.status_code == 200
        assert r.content == open(OUTSIDE_FILE, "rb").read()
    finally:
        stop(proc)
    assert "landlock" not in open(log, encoding="utf-8").read()
