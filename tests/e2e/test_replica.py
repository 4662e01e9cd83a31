"""
`serve --db-read URL`: reads of GET requests go to a read replica while
writes and sign-in checks stay on the primary.  Here the "replica" is a
second connection URL of the same SQLite file (a real deployment points it
at a PostgreSQL standby); what is checked is the routing: a server whose
replica URL cannot be opened still takes writes but answers reads with a
clean 503, and with a working replica reads see the primary's writes.
"""
import os
import signal
import tempfile

import requests

from conftest import SHUTDOWN_TIMEOUT, _start, run_cli


def start(db, tmp, extra):
    # conftest's start: a fresh port per attempt, up once its log says so
    proc, port, _ = _start(db, tmp, "--quiet", *extra)
    return proc, "http://127.0.0.1:%d" % port


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=SHUTDOWN_TIMEOUT) == 0


def test_reads_go_to_the_replica_and_writes_to_the_primary():
    with tempfile.TemporaryDirectory() as tmp:
        db = "sqlite:" + os.path.join(tmp, "r.db")
        run_cli(db, "init")
        run_cli(db, "user", "add", "--login", "rep_admin", "--role", "admin",
                stdin="mat-khau-replica\n")
        token = run_cli(db, "token", "create", "--login", "rep_admin").stdout.strip()
        h = {"Authorization": "Bearer " + token}

        # a replica that cannot be opened: writes work, reads get 503
        proc, base = start(db, tmp, ["--db-read", "sqlite:" + os.path.join(tmp, "no", "such.db")])
        try:
            r = requests.post(base + "/api/v1/person", json={"full_name": "Nông Thị Hà"},
                              headers=h, timeout=60)
            assert r.status_code == 201, r.text
            r = requests.get(base + "/api/v1/person", headers=h, timeout=60)
            assert r.status_code == 503
            assert r.json()["error"]["code"] == "unavailable"
        finally:
            stop(proc)

        # a working replica sees what the primary wrote
        proc, base = start(db, tmp, ["--db-read", db])
        try:
            r = requests.get(base + "/api/v1/person?q=nong thi ha", headers=h, timeout=60)
            assert r.status_code == 200
            assert r.json()["total"] == 1
        finally:
            stop(proc)
