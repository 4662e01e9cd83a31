"""Resource limits (issue 13, class 7): one address cannot hold every
connection, and a request must arrive whole within a deadline.

Each test starts a second server on the session's database with lowered
limits (src/base/gplimits.h holds the real ones; `serve
--connections-per-address N`, and the test-only environment variables
GIAPRANH_TEST_CONNECTIONS_MAX and GIAPRANH_TEST_REQUEST_DEADLINE_S), so that a
few hundred sockets and a few seconds show them at work:

  * per address: 300 idle sockets from one loopback address against a limit
    of 16 (and at most 200 connections in all, fewer than the sockets): the
    server keeps 16 and closes the rest, /healthz answers another address,
    a further connection of the flooding address is refused, and once its
    sockets close that address is served again;
  * whole request: a request whose headers, or whose body, arrive a byte at
    a time is cut (closed, or 408) before it is whole, on every kind of body
    (JSON, form, upload, CSV bulk), and nothing it carried is written; a
    request sent at once is still served.
"""
import os
import selectors
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BIN, REPO, SourceAddressAdapter, describe, free_port

PER_ADDRESS = 16
CONNECTIONS_MAX = 200   # fewer than the sockets: without the per-address
SOCKETS = 300           # limit they would take every connection
DEADLINE_S = 2
FLOOD_IP = "127.0.0.40"
OTHER_IP = "127.0.0.41"
SLOW_IP = "127.0.0.42"
WAIT_CAP_S = 30         # a loop that waits for the server gives up here


class LimitedServer:
    def __init__(self, db, args=(), env=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="giapranh-limits-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.tmp.name, "serve.log")
        full_env = dict(os.environ, GIAPRANH_FILES=os.path.join(self.tmp.name, "files"),
                        **(env or {}))
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [BIN, "--db", db, "serve", "--listen", f"127.0.0.1:{self.port}",
                 "--threads", "2", *args],
                cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.monotonic() + WAIT_CAP_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("limited server did not start:\n" + self.log())

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read()[-3000:].decode("utf-8", "replace")

    def session(self, source_ip=None, token=None):
        s = requests.Session()
        if source_ip:
            s.mount("http://", SourceAddressAdapter(source_ip))
        if token:
            s.headers["Authorization"] = "Bearer " + token
        return s

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.tmp.cleanup()


def connect_from(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((ip, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    return s


def closed_by_peer(s):
    """True when the server has closed the socket (EOF or reset)."""
    try:
        return s.recv(4096) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        return True


# ---- per address -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def per_address_server(server):
    srv = LimitedServer(server.db, ["--connections-per-address", str(PER_ADDRESS)],
                        {"GIAPRANH_TEST_CONNECTIONS_MAX": str(CONNECTIONS_MAX)})
    yield srv
    srv.stop()


def test_one_address_holding_idle_sockets_does_not_starve_the_others(per_address_server):
    srv = per_address_server
    socks = [connect_from(FLOOD_IP, srv.port) for _ in range(SOCKETS)]
    try:
        sel = selectors.DefaultSelector()
        for s in socks:
            sel.register(s, selectors.EVENT_READ)
        closed = set()
        cap = time.monotonic() + WAIT_CAP_S
        while len(closed) < SOCKETS - PER_ADDRESS and time.monotonic() < cap:
            for key, _ in sel.select(timeout=0.5):
                if closed_by_peer(key.fileobj):
                    closed.add(key.fileobj)
                    sel.unregister(key.fileobj)
        sel.close()
        kept = [s for s in socks if s not in closed]
        # the server keeps its share of the address's sockets, and no more
        assert len(kept) == PER_ADDRESS, (len(kept), srv.log())
        assert not any(closed_by_peer(s) for s in kept)

        # another address is served while they are held
        r = srv.session(OTHER_IP).get(srv.base + "/healthz", timeout=10)
        assert r.status_code == 200, describe(r)
        assert r.text == "ok\n"

        # the flooding address gets no further connection: closed unanswered
        extra = connect_from(FLOOD_IP, srv.port)
        extra.setblocking(True)
        extra.settimeout(10)
        try:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try:
                answer = extra.recv(4096)
            except (ConnectionResetError, BrokenPipeError):
                answer = b""
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
        finally:
            extra.close()
        assert answer == b"", answer[:200]
    finally:
        for s in socks:
            s.close()

    # its sockets closed, the address is served again
    s = srv.session(FLOOD_IP)
    cap = time.monotonic() + WAIT_CAP_S
    status = None
    while time.monotonic() < cap:
        try:
            status = s.get(srv.base + "/healthz", timeout=5).status_code
        except requests.RequestException:
            status = None
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200, srv.log()


def test_connections_per_address_option_is_checked(server):
    for bad in ("abc", "-1", "16x", "99999"):
        p = subprocess.run([BIN, "--db", server.db, "serve", "--listen",
                            f"127.0.0.1:{free_port()}", "--connections-per-address", bad],
                           cwd=REPO, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (bad, p.returncode, p.stderr)
        assert "--connections-per-address" in p.stderr, p.stderr


# ---- the whole request ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def deadline_server(server):
    srv = LimitedServer(server.db, env={"GIAPRANH_TEST_REQUEST_DEADLINE_S": str(DEADLINE_S)})
    yield srv
    srv.stop()


BODY_LEN = 400


def padded(body):
    """body padded (with spaces, or a trailing CSV line end) to BODY_LEN."""
    assert len(body) <= BODY_LEN
    return body + b" " * (BODY_LEN - len(body))


def slow_requests(token, person_id):
    """(name, head, body): every kind of body a route reads."""
    auth = f"Authorization: Bearer {token}\r\n"
    name = "Chậm Từng Byte".encode()
    csv = b"full_name\n" + name + b" CSV\n"
    csv += b"\n" * (BODY_LEN - len(csv))
    return [
        ("json", f"POST /api/v1/person HTTP/1.1\r\nHost: x\r\n{auth}"
                 "Content-Type: application/json\r\n",
         padded(b'{"full_name": "' + name + b' JSON"}')),
        ("form", "POST /login HTTP/1.1\r\nHost: x\r\n"
                 "Content-Type: application/x-www-form-urlencoded\r\n",
         padded(b"login=e2e_viewer&password=x&next=%2F").replace(b" ", b"a")),
        ("upload", f"POST /api/v1/attachment/upload?owner_entity=person&owner_id={person_id}"
                   f"&filename=cham.txt HTTP/1.1\r\nHost: x\r\n{auth}"
                   "Content-Type: text/plain\r\n",
         padded(b"noi dung tep")),
        ("csv-bulk", f"POST /api/v1/person/_bulk HTTP/1.1\r\nHost: x\r\n{auth}"
                     "Content-Type: text/csv\r\n", csv),
    ]


def trickle(port, head, body, step_s=0.25, cap_bytes=120):
    """Send the head at once, then the body a byte every step_s; returns
    (bytes of the body sent, what the server answered) once the server cut
    the connection, or None if it never did within cap_bytes."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((SLOW_IP, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    try:
        s.sendall(head)
        for sent in range(min(len(body), cap_bytes)):
            try:
                s.sendall(body[sent:sent + 1])
            except (BrokenPipeError, ConnectionResetError):
                return sent, b""
            s.settimeout(step_s)
            try:
                data = s.recv(4096)
                return sent + 1, data   # an answer, or b"": closed
            except socket.timeout:
                pass
            except ConnectionResetError:
                return sent + 1, b""
        return None
    finally:
        s.close()


def count(api, entity, **params):
    r = api.get(f"/api/v1/{entity}", params={"limit": 1, **params})
    assert r.status_code == 200, describe(r)
    return r.json()["total"]


@pytest.mark.parametrize("kind", ["json", "form", "upload", "csv-bulk"])
def test_a_body_sent_a_byte_at_a_time_is_cut(server, deadline_server, kind):
    admin = server.api("admin")
    person_id = admin.list("person", limit=1)["items"][0]["id"]
    name, head, body = [r for r in slow_requests(server.tokens["admin"], person_id)
                        if r[0] == kind][0]
    head = (head + f"Content-Length: {len(body)}\r\n\r\n").encode()
    before = (count(admin, "person", q="cham tung byte"), count(admin, "attachment"))
    got = trickle(deadline_server.port, head, body)
    assert got is not None, f"{kind}: still open after 120 body bytes\n" + \
        deadline_server.log()
    sent, answer = got
    assert sent < len(body), (kind, sent)
    # closed, or told why: never served as if whole
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:200]
    after = (count(admin, "person", q="cham tung byte"), count(admin, "attachment"))
    assert after == before, (kind, before, after)


def test_headers_sent_a_byte_at_a_time_are_cut(deadline_server):
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    got = trickle(deadline_server.port, b"", head)
    assert got is not None, "still open after 120 header bytes"
    sent, answer = got
    assert sent < len(head)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:200]


def test_a_request_sent_at_once_is_served_under_the_deadline(server, deadline_server):
    api = deadline_server.session(token=server.tokens["admin"])
    r = api.post(deadline_server.base + "/api/v1/person",
                 json={"full_name": "Gửi Một Lần"}, timeout=30)
    assert r.status_code == 201, describe(r)
    # a keep-alive connection serves one request after another
    for _ in range(3):
        assert api.get(deadline_server.base + "/healthz", timeout=30).status_code == 200
