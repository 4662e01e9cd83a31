"""
Started as root, `serve --user NAME` gives root up once the port is bound:
the process runs as that user (every thread), still serves, and cannot
write where that user may not.  Skipped when the tests do not run as root.
"""
import os
import pwd
import shutil
import signal
import subprocess
import tempfile

import pytest

from conftest import BIN, REPO, SHUTDOWN_TIMEOUT, _start, free_port, run_cli

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root")


def test_serve_as_root_drops_to_the_given_user():
    nobody = pwd.getpwnam("nobody")
    tmp = tempfile.mkdtemp()
    try:
        os.chmod(tmp, 0o755)
        db = "sqlite:" + os.path.join(tmp, "p.db")
        run_cli(db, "init")
        for root, dirs, files in os.walk(tmp):
            for name in dirs + files + ["."]:
                os.chown(os.path.join(root, name), nobody.pw_uid, nobody.pw_gid)
        # conftest's start: a fresh port per attempt, up once its log says so
        proc, _, _ = _start(db, tmp, "--user", "nobody", "--files", os.path.join(tmp, "files"))
        try:
            status = open("/proc/%d/status" % proc.pid).read()
            uids = [line for line in status.splitlines() if line.startswith("Uid:")][0]
            assert uids.split()[1:] == [str(nobody.pw_uid)] * 4, uids
            # every thread, not only the main one
            for tid in os.listdir("/proc/%d/task" % proc.pid):
                st = open("/proc/%d/task/%s/status" % (proc.pid, tid)).read()
                line = [x for x in st.splitlines() if x.startswith("Uid:")][0]
                assert line.split()[1] == str(nobody.pw_uid), (tid, line)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=SHUTDOWN_TIMEOUT) == 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_unknown_user_refuses_to_serve():
    tmp = tempfile.mkdtemp()
    try:
        db = "sqlite:" + os.path.join(tmp, "p.db")
        run_cli(db, "init")
        # the user is looked up after the port is bound: a port taken
        # between free_port() and the bind is tried again elsewhere
        for _ in range(5):
            p = subprocess.run([BIN, "--db", db, "serve", "--listen",
                                "127.0.0.1:%d" % free_port(), "--user", "khong-co-ai"],
                               cwd=REPO, capture_output=True, text=True, timeout=300)
            if "không mở được cổng" not in p.stderr:
                break
        assert p.returncode != 0
        assert "khong-co-ai" in p.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
