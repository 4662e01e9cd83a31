"""`make install` (tools/install.sh, deploy/giapranh.service.in; issue 19
"Operations"): the files land under standard paths, the systemd unit is
valid and sandboxed, and the installed server runs from them alone - its
units from PREFIX/share/giapranh/data, its pages' files and the front-end
libraries from PREFIX/share/giapranh - not from the source tree."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BIN, REPO, free_port

SANDBOX = ["DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict",
           "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=",
           "StateDirectory=giapranh", "SystemCallFilter=@system-service"]


@pytest.fixture(scope="module")
def installed():
    with tempfile.TemporaryDirectory(prefix="giapranh-install-") as tmp:
        prefix, etc, unitdir = (os.path.join(tmp, d) for d in ("usr", "etc", "unit"))
        r = subprocess.run(["sh", "tools/install.sh", "--bin", BIN, "--prefix", prefix,
                            "--sysconfdir", etc, "--unitdir", unitdir],
                           cwd=REPO, capture_output=True, timeout=300)
        assert r.returncode == 0, r.stderr.decode()
        yield tmp, prefix, etc, os.path.join(unitdir, "giapranh.service")


def test_files_are_laid_out(installed):
    tmp, prefix, etc, unit = installed
    assert os.access(os.path.join(prefix, "bin", "giapranh"), os.X_OK)
    share = os.path.join(prefix, "share", "giapranh")
    assets = subprocess.run([BIN, "assets"], capture_output=True, check=True,
                            cwd=REPO).stdout.decode().split()
    assert len(assets) >= 5
    for f in assets + ["static/app.css", "static/app.js", "data/demo",
                       "data/admin-units", "docs/guide/img/dang-nhap.png"]:
        assert os.path.exists(os.path.join(share, f)), f
    assert os.path.isfile(os.path.join(prefix, "share", "doc", "giapranh", "OPERATIONS.md"))
    env = open(os.path.join(etc, "giapranh", "giapranh.env"), encoding="utf-8").read()
    assert re.search(r"^GIAPRANH_DB=sqlite:/var/lib/giapranh/", env, re.M)


def test_settings_are_kept_on_reinstall(installed):
    tmp, prefix, etc, unit = installed
    env = os.path.join(etc, "giapranh", "giapranh.env")
    with open(env, "a", encoding="utf-8") as f:
        f.write("GIAPRANH_LISTEN=127.0.0.1:9999\n")
    r = subprocess.run(["sh", "tools/install.sh", "--bin", BIN, "--prefix", prefix,
                        "--sysconfdir", etc, "--unitdir", os.path.dirname(unit)],
                       cwd=REPO, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert "127.0.0.1:9999" in open(env, encoding="utf-8").read()


def test_the_unit_is_sandboxed_and_valid(installed):
    tmp, prefix, etc, unit = installed
    text = open(unit, encoding="utf-8").read()
    assert "@PREFIX@" not in text and "@SYSCONFDIR@" not in text
    for line in SANDBOX:
        assert re.search("^" + re.escape(line) + "$", text, re.M), line
    assert f"ExecStart={prefix}/bin/giapranh" in text
    if shutil.which("systemd-analyze") is None:
        pytest.skip("no systemd-analyze here: the unit's options checked by text only")
    r = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    r = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                       capture_output=True, timeout=120)
    m = re.search(rb"Overall exposure level for giapranh.service: ([0-9.]+)", r.stdout)
    assert m, r.stdout.decode() + r.stderr.decode()
    assert float(m.group(1)) <= 2.0, r.stdout.decode()


def test_the_installed_server_runs_from_its_own_files(installed):
    tmp, prefix, etc, unit = installed
    share = os.path.join(prefix, "share", "giapranh")
    binary = os.path.join(prefix, "bin", "giapranh")
    db = f"sqlite:{tmp}/installed.db"
    r = subprocess.run([binary, "--db", db, "--data", os.path.join(share, "data"), "init"],
                       capture_output=True, timeout=600, cwd=tmp)
    assert r.returncode == 0, r.stderr.decode()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(os.path.join(tmp, "installed.log"), "wb") as log:
        # from a directory of its own: nothing is read from the source tree
        proc = subprocess.Popen([binary, "--db", db, "serve", "--listen",
                                 f"127.0.0.1:{port}", "--root", share, "--files",
                                 os.path.join(tmp, "files")], cwd=tmp, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        assert proc.poll() is None, open(os.path.join(tmp, "installed.log")).read()
        for path in ("/static/vendor/htmx.min.js", "/static/vendor/pico.min.css",
                     "/static/app.css", "/login", "/guide", "/static/guide/dang-nhap.png"):
            assert requests.get(base + path, timeout=30).status_code == 200, path
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
