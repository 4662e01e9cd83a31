"""
`serve --db-read URL` (once per standby; src/http/replicas.h): the reads of
GET requests go to read replicas while writes and sign-in checks stay on
the primary.

On SQLite the "replica" is a second connection URL of the same file: what
is checked is the routing - a replica that cannot be opened is skipped
(reads go to the primary, a metric counts the skip), a working one takes
the reads and sees the primary's writes.

On PostgreSQL (the pass of tests/run.sh that sets GIAPRANH_TEST_PG) the
tests start their own primary and two real streaming standbys
(tests/pg/start.sh, tests/pg/standby.sh: pg_basebackup -R) in their own
directory, never the shared test server, and check: reads go to the
standbys and are spread over both; a user's own write is visible to them
at once (read-your-writes) even when the standbys have not replayed it,
while another reader still reads the standby; a stopped standby is
skipped and taken back once it is up; a standby paused with
pg_wal_replay_pause() beyond the lag bound is skipped.  And the server
works through PgBouncer in transaction mode (tests/pg/pgbouncer.sh).
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import REPO, SHUTDOWN_TIMEOUT, _start, run_cli
from test_metrics import parse, value

PG = os.environ.get("GIAPRANH_TEST_PG")
needs_pg = pytest.mark.skipif(not PG, reason="PostgreSQL pass only (GIAPRANH_TEST_PG)")
# bounds for a broken run, never outcomes (a loaded machine is slow, not wrong)
WAIT_S = 90.0


def start(db, tmp, extra):
    # conftest's start: a fresh port per attempt, up once its log says so
    proc, port, _ = _start(db, tmp, "--quiet", *extra)
    return proc, "http://127.0.0.1:%d" % port


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=SHUTDOWN_TIMEOUT) == 0


def metrics(base, h):
    r = requests.get(base + "/metrics", headers=h, timeout=60)
    assert r.status_code == 200, r.text
    return parse(r.text)[1]


def test_reads_go_to_the_replica_and_writes_to_the_primary():
    with tempfile.TemporaryDirectory() as tmp:
        db = "sqlite:" + os.path.join(tmp, "r.db")
        run_cli(db, "init")
        run_cli(db, "user", "add", "--login", "rep_admin", "--role", "admin",
                stdin="mat-khau-replica\n")
        token = run_cli(db, "token", "create", "--login", "rep_admin").stdout.strip()
        h = {"Authorization": "Bearer " + token}

        # a replica that cannot be opened is skipped, not an error: writes
        # work, reads go to the primary, and the skip is counted
        proc, base = start(db, tmp, ["--db-read", "sqlite:" + os.path.join(tmp, "no", "such.db")])
        try:
            r = requests.post(base + "/api/v1/person", json={"full_name": "Nông Thị Hà"},
                              headers=h, timeout=60)
            assert r.status_code == 201, r.text
            r = requests.get(base + "/api/v1/person?q=nong thi ha", headers=h, timeout=60)
            assert r.status_code == 200, r.text
            assert r.json()["total"] == 1
            m = metrics(base, h)
            assert value(m, "giapranh_replica_skipped_total", replica="0", reason="down") >= 1
            assert value(m, "giapranh_replica_reads_total", replica="0") == 0
            assert value(m, "giapranh_replica_primary_reads_total", reason="none") >= 1
        finally:
            stop(proc)

        # a working replica takes the reads and sees what the primary wrote
        proc, base = start(db, tmp, ["--db-read", db])
        try:
            r = requests.get(base + "/api/v1/person?q=nong thi ha", headers=h, timeout=60)
            assert r.status_code == 200
            assert r.json()["total"] == 1
            m = metrics(base, h)
            assert value(m, "giapranh_replica_reads_total", replica="0") >= 1
            assert value(m, "giapranh_replica_lag_seconds", replica="0") == 0
        finally:
            stop(proc)


# ---- PostgreSQL: a primary and two streaming standbys of its own ----------

def sh(*args):
    p = subprocess.run(["sh", *args], cwd=REPO, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{p.stdout}\n{p.stderr}")
    return p.stdout.strip()


def psql(url, sql):
    p = subprocess.run(["psql", "-X", "-At", "-d", url.replace("postgresql:", "postgresql:", 1),
                        "-c", sql], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


class Cluster:
    def __init__(self, root):
        self.root = root
        self.primary = sh("tests/pg/start.sh", os.path.join(root, "primary"))
        run_cli(self.primary, "init")
        self.tokens = {}
        for login in ("rep_writer", "rep_reader"):
            run_cli(self.primary, "user", "add", "--login", login, "--role", "admin",
                    stdin="mat-khau-replica\n")
            self.tokens[login] = run_cli(self.primary, "token", "create",
                                         "--login", login).stdout.strip()
        # the standbys are copies of the primary as it is now, users included
        self.standbys = [self.standby(i) for i in range(2)]

    def dir(self, name):
        return os.path.join(self.root, name)

    def standby(self, i):
        return sh("tests/pg/standby.sh", self.dir("primary"), self.dir("s%d" % i))

    def stop_standby(self, i):
        sh("tests/pg/stop.sh", self.dir("s%d" % i))

    def h(self, login):
        return {"Authorization": "Bearer " + self.tokens[login]}

    def close(self):
        pid = os.path.join(self.dir("bouncer"), "pgbouncer.pid")
        if os.path.exists(pid):
            with open(pid) as f:
                try:
                    os.kill(int(f.read().strip()), signal.SIGTERM)
                except (ProcessLookupError, ValueError):
                    pass
        for name in ("s0", "s1", "primary"):
            subprocess.run(["sh", "tests/pg/stop.sh", self.dir(name)], cwd=REPO,
                           capture_output=True, timeout=120)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    if not PG:
        pytest.skip("PostgreSQL pass only (GIAPRANH_TEST_PG)")
    # a directory of its own, reachable by the unprivileged server owner
    root = tempfile.mkdtemp(prefix="giapranh-rep-")
    os.chmod(root, 0o755)
    c = None
    try:
        c = Cluster(root)
        yield c
    finally:
        if c is not None:
            c.close()
        else:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def served(cluster):
    """Start a server on the cluster's primary with both standbys; yields a
    function taking extra options; stops what it started."""
    procs = []
    tmp = tempfile.mkdtemp(prefix="giapranh-rep-serve-")

    def run(*extra, standbys=True):
        opts = []
        if standbys:
            for url in cluster.standbys:
                opts += ["--db-read", url]
        proc, base = start(cluster.primary, tmp, opts + list(extra))
        procs.append(proc)
        return base

    yield run
    for p in procs:
        stop(p)
    shutil.rmtree(tmp, ignore_errors=True)


def replayed_everything(cluster):
    """Wait until both standbys have replayed all the primary wrote."""
    target = psql(cluster.primary, "SELECT pg_current_wal_insert_lsn()")
    deadline = time.monotonic() + WAIT_S
    for url in cluster.standbys:
        while psql(url, f"SELECT pg_last_wal_replay_lsn() >= '{target}'") != "t":
            assert time.monotonic() < deadline, "standby did not catch up"
            time.sleep(0.05)


def client_backends(url):
    """Connections of clients other than this psql on the server of url."""
    return int(psql(url, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                    "'client backend' AND pid <> pg_backend_pid()"))


@needs_pg
def test_reads_go_to_the_standbys_and_both_get_reads(cluster, served):
    base = served()
    h = cluster.h("rep_reader")
    for _ in range(12):
        r = requests.get(base + "/api/v1/person", headers=h, timeout=60)
        assert r.status_code == 200, r.text
    m = metrics(base, h)
    reads = [value(m, "giapranh_replica_reads_total", replica=str(i)) for i in range(2)]
    # round robin per worker: every standby took reads, the primary none
    assert reads[0] >= 1 and reads[1] >= 1, reads
    assert value(m, "giapranh_replica_primary_reads_total", reason="none") == 0
    for i in range(2):
        assert value(m, "giapranh_replica_lag_seconds", replica=str(i)) >= 0
    # seen from the standbys themselves: the server holds connections there
    for url in cluster.standbys:
        assert client_backends(url) >= 1
    # and the standbys are real standbys of the primary
    names = psql(cluster.primary, "SELECT string_agg(application_name || ':' || state, ',' "
                 "ORDER BY application_name) FROM pg_stat_replication")
    assert names == "s0:streaming,s1:streaming"


@needs_pg
def test_a_write_is_visible_to_its_writer_at_once(cluster, served):
    # no lag bound in the way: only read-your-writes decides
    base = served("--replica-lag-max-ms", "3600000")
    w, rd = cluster.h("rep_writer"), cluster.h("rep_reader")
    # without pauses: each write is read back at once, every time
    for i in range(10):
        r = requests.post(base + "/api/v1/person", json={"full_name": f"Hà Văn {i}"},
                          headers=w, timeout=60)
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        r = requests.get(base + f"/api/v1/person/{pid}", headers=w, timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["full_name"] == f"Hà Văn {i}"
    # with both standbys paused, the writer's read goes to the primary...
    replayed_everything(cluster)
    for url in cluster.standbys:
        psql(url, "SELECT pg_wal_replay_pause()")
    try:
        before = metrics(base, rd)
        r = requests.post(base + "/api/v1/person", json={"full_name": "Lường Thị Mai"},
                          headers=w, timeout=60)
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        r = requests.get(base + f"/api/v1/person/{pid}", headers=w, timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["full_name"] == "Lường Thị Mai"
        # ...while another reader still reads a standby, which has not
        # replayed it: the write is not there yet for them
        r = requests.get(base + f"/api/v1/person/{pid}", headers=rd, timeout=60)
        assert r.status_code == 404, r.text
        after = metrics(base, rd)
        assert (value(after, "giapranh_replica_primary_reads_total", reason="ryw")
                > value(before, "giapranh_replica_primary_reads_total", reason="ryw"))
    finally:
        for url in cluster.standbys:
            psql(url, "SELECT pg_wal_replay_resume()")
    # once replayed, the writer reads a standby again
    replayed_everything(cluster)
    before = metrics(base, w)
    r = requests.get(base + f"/api/v1/person/{pid}", headers=w, timeout=60)
    assert r.status_code == 200
    after = metrics(base, w)
    assert sum(value(after, "giapranh_replica_reads_total", replica=str(i))
               - value(before, "giapranh_replica_reads_total", replica=str(i))
               for i in range(2)) >= 1


@needs_pg
def test_a_stopped_standby_is_skipped_then_taken_back(cluster, served):
    base = served()
    h = cluster.h("rep_reader")
    requests.get(base + "/api/v1/person", headers=h, timeout=60)
    cluster.stop_standby(1)
    try:
        for _ in range(10):
            r = requests.get(base + "/api/v1/person", headers=h, timeout=60)
            assert r.status_code == 200, r.text
        m = metrics(base, h)
        assert value(m, "giapranh_replica_skipped_total", replica="1", reason="down") >= 1
        assert value(m, "giapranh_replica_lag_seconds", replica="1") != 0  # NaN: unknown
        reads0 = value(m, "giapranh_replica_reads_total", replica="0")
        assert reads0 >= 5
    finally:
        cluster.standbys[1] = cluster.standby(1)
    # up again: after its back-off it takes reads again
    seen = value(metrics(base, h), "giapranh_replica_reads_total", replica="1")
    deadline = time.monotonic() + WAIT_S
    while value(metrics(base, h), "giapranh_replica_reads_total", replica="1") == seen:
        assert time.monotonic() < deadline, "the standby was not taken back"
        r = requests.get(base + "/api/v1/person", headers=h, timeout=60)
        assert r.status_code == 200, r.text
        time.sleep(0.2)


@needs_pg
def test_a_paused_standby_beyond_the_lag_bound_is_skipped(cluster, served):
    base = served("--replica-lag-max-ms", "300")
    w, rd = cluster.h("rep_writer"), cluster.h("rep_reader")
    replayed_everything(cluster)
    psql(cluster.standbys[0], "SELECT pg_wal_replay_pause()")
    try:
        # WAL it receives and does not replay: the standby falls behind
        r = requests.post(base + "/api/v1/person", json={"full_name": "Sùng A Páo"},
                          headers=w, timeout=60)
        assert r.status_code == 201, r.text
        deadline = time.monotonic() + WAIT_S
        while True:
            r = requests.get(base + "/api/v1/person", headers=rd, timeout=60)
            assert r.status_code == 200, r.text
            m = metrics(base, rd)
            if value(m, "giapranh_replica_skipped_total", replica="0", reason="lag") >= 1:
                break
            assert time.monotonic() < deadline, "the lagging standby was not skipped"
            time.sleep(0.1)
        assert value(m, "giapranh_replica_lag_seconds", replica="0") > 0.3
        # every read now goes to the other standby, none fails
        before = value(m, "giapranh_replica_reads_total", replica="1")
        for _ in range(6):
            r = requests.get(base + "/api/v1/person", headers=rd, timeout=60)
            assert r.status_code == 200, r.text
        m = metrics(base, rd)
        assert value(m, "giapranh_replica_reads_total", replica="1") >= before + 6
    finally:
        psql(cluster.standbys[0], "SELECT pg_wal_replay_resume()")


@needs_pg
def test_through_pgbouncer_in_transaction_mode(cluster, served):
    url = sh("tests/pg/pgbouncer.sh", cluster.dir("primary"), cluster.dir("bouncer"))
    assert url.endswith("pool_mode=transaction")
    tmp = tempfile.mkdtemp(prefix="giapranh-rep-bouncer-")
    # two workers share the pooler's few server sessions
    proc, base = start(url, tmp, ["--threads", "2"])
    try:
        h = cluster.h("rep_writer")
        ids = []
        for i in range(6):
            r = requests.post(base + "/api/v1/person", json={"full_name": f"Giàng A {i}"},
                              headers=h, timeout=60)
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        r = requests.patch(base + f"/api/v1/person/{ids[0]}",
                           json={"full_name": "Giàng A Sử"},
                           headers=dict(h, **{"If-Match": "\"1\""}), timeout=60)
        assert r.status_code == 200, r.text
        r = requests.delete(base + f"/api/v1/person/{ids[1]}", headers=h, timeout=60)
        assert r.status_code in (200, 204), r.text
        for pid in ids[2:]:
            r = requests.get(base + f"/api/v1/person/{pid}", headers=h, timeout=60)
            assert r.status_code == 200, r.text
        r = requests.get(base + "/api/v1/person?q=giang a", headers=h, timeout=60)
        assert r.status_code == 200 and r.json()["total"] == 5, r.text
        r = requests.get(base + f"/api/v1/person/{ids[0]}", headers=h, timeout=60)
        assert r.json()["full_name"] == "Giàng A Sử"
        # the pooler carried them: its transactions on the primary's database
        stats = psql(url.replace("/postgres?", "/pgbouncer?").replace("&pool_mode=transaction", ""),
                     "SHOW STATS")
        rows = {line.split("|")[0]: line.split("|") for line in stats.splitlines()}
        assert int(rows["postgres"][1]) >= 8, stats
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
