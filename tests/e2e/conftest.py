"""
End-to-end fixtures: one real `giapranh serve` over a fresh demo database.

The session fixture `server`:
  * makes a temporary directory and runs `$GIAPRANH_BIN --db sqlite:TMP/e2e.db
    init --demo` from the repository root (so `data/` is found);
  * creates the users of USERS with `user add` (password on stdin) and an API
    token for each with `token create`;
  * starts `serve --listen 127.0.0.1:PORT` on a free port and waits for
    `GET /healthz` to answer 200;
  * at the end sends SIGTERM and checks that the server exits with 0 within 10 s.

Tests talk to it through `ApiSession` (a requests.Session that prefixes the
base URL): `server.api(login)` signs in by Bearer token, `server.sign_in(login)`
by the browser form (cookie `gp_session` + the page's CSRF token).

Only Debian's pytest and requests are used.
"""
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

import pytest
import requests
from requests.adapters import HTTPAdapter

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("GIAPRANH_BIN", os.path.join(REPO, "build", "giapranh"))
if not os.path.isabs(BIN):
    BIN = os.path.join(REPO, BIN)

# Bounds for a broken run, never outcomes: a loaded 2-core machine running
# the ASan build is slow, not wrong.
STARTUP_TIMEOUT = 120.0
SHUTDOWN_TIMEOUT = 60.0
START_ATTEMPTS = 5   # ports tried when the one picked free was taken meanwhile
# what `serve` prints once it has bound its port (src/http/server.c)
LISTENING = "giapranh đang chạy tại".encode()
BODY_LIMIT = 2 * 1024 * 1024  # 2 MiB, the API's request body limit

# Pre-2025 (GSO, valid until 2025-06-30) codes used by the tests.
SIMACAI = "084"       # Huyện Si Ma Cai (Lào Cai)
BACHA = "085"         # Huyện Bắc Hà (Lào Cai)
XINMAN = "033"        # Huyện Xín Mần (Hà Giang)
BANMAY = "01024"      # Xã Bản Máy (Hoàng Su Phì, Hà Giang)
# Xã Tả Van Chư (Bắc Hà).  Not a 2025 code (merged into the 2025 Lùng Phình),
# so `--unit 02851` names the pre-2025 commune itself.
BACHA_COMMUNE = "02851"
# Thị trấn Bắc Hà: another Bắc Hà commune, outside Tả Van Chư in both
# vintages (it became the 2025 Xã Bắc Hà).
BACHA_OTHER_COMMUNE = "02839"

PASSWORD = "mat-khau-e2e-2024"


@dataclass
class User:
    key: str          # how the tests name the user
    role: str
    unit: str = None
    security: bool = False
    name: str = None
    password: str = PASSWORD

    @property
    def login(self):
        # `init --demo` creates demo users of its own (admin, simacai, xem);
        # ours get a prefix so that the names never collide.
        return "e2e_" + self.key


USERS = [
    User("admin", "admin", security=True, name="Quản trị viên"),
    User("viewer", "viewer", name="Người xem"),
    User("secure_viewer", "viewer", security=True, name="Người xem tin mật"),
    User("simacai_editor", "editor", unit=SIMACAI, name="Cán bộ huyện Si Ma Cai"),
    User("bacha_commune_editor", "editor", unit=BACHA_COMMUNE,
         name="Cán bộ xã Tả Van Chư"),
]
# One user per sign-in throttling test (they spoil their password history
# on purpose); each test also connects from its own loopback address.
THROTTLE_USERS = [f"throttle_{i}" for i in range(1, 6)]
USERS += [User(key, "viewer") for key in THROTTLE_USERS]


# ---- HTTP helpers -------------------------------------------------------------


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given local address (e.g. 127.0.0.2), so that tests of
    per-address throttling do not throttle every other test."""

    def __init__(self, source_ip, **kw):
        self.source_ip = source_ip
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source_ip, 0)
        return super().init_poolmanager(*args, **kw)


# Every exchange of an ApiSession, one JSON line each, when the test run sets
# GIAPRANH_CONTRACT_LOG to a directory (tests/run.sh does): afterwards
# tests/openapi/contract_check.py checks them all against the OpenAPI
# document (issue 18: the contract over the whole e2e suite).
CONTRACT_LOG = os.environ.get("GIAPRANH_CONTRACT_LOG", "")


def record_exchange(resp, *args, **kw):
    req = resp.request
    body = req.body
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            body = None   # not text: checked by its status alone
    rtype = resp.headers.get("Content-Type", "")
    line = {"method": req.method, "url": req.url,
            "type": req.headers.get("Content-Type", ""),
            "body": body if isinstance(body, str) else None,
            "status": resp.status_code, "rtype": rtype,
            # a streamed answer is left for its reader: checked by status
            "answer": resp.text if rtype.startswith("application/json") and
            not kw.get("stream") else None}
    name = os.path.join(CONTRACT_LOG, "%s-%d.jsonl" % (
        os.environ.get("PYTEST_XDIST_WORKER", "main"), os.getpid()))
    with open(name, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")


class ApiSession(requests.Session):
    """requests.Session that accepts paths ("/api/v1/…") and has a timeout."""

    def __init__(self, base, token=None, source_ip=None):
        super().__init__()
        self.base = base
        self.csrf = None
        if token:
            self.headers["Authorization"] = "Bearer " + token
        if source_ip:
            self.mount("http://", SourceAddressAdapter(source_ip))
        if CONTRACT_LOG:
            self.hooks["response"].append(record_exchange)

    def request(self, method, url, *args, **kw):
        if url.startswith("/"):
            url = self.base + url
        kw.setdefault("timeout", 60)
        return super().request(method, url, *args, **kw)

    # shorthands for the JSON API
    def list(self, entity, /, **params):
        """GET /api/v1/ENTITY?params; asserts 200 and returns the JSON."""
        r = self.get(f"/api/v1/{entity}", params=params)
        assert r.status_code == 200, describe(r)
        return r.json()

    def create(self, entity, record, /):
        """POST a record; asserts 201 and returns the stored record."""
        r = self.post(f"/api/v1/{entity}", json=record, headers=self.csrf_header())
        assert r.status_code == 201, describe(r)
        return r.json()

    def csrf_header(self):
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}

    def post_login(self, data, **kw):
        """The sign-in form, posted as a browser does (conftest.post_login)."""
        return post_login(self, "", data, **kw)


def describe(r):
    """A response as text for assertion messages."""
    body = r.text
    if len(body) > 1500:
        body = body[:1500] + "…"
    return f"{r.request.method} {r.request.url} -> {r.status_code} {dict(r.headers)}\n{body}"


def error_of(r):
    """The {"error": {...}} object of a JSON error response."""
    ctype = r.headers.get("Content-Type", "")
    assert "application/json" in ctype, "error is not JSON: " + describe(r)
    body = r.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), describe(r)
    return body["error"]


def assert_error(r, status, code=None):
    """The response is an API error with this status (and code); returns it."""
    assert r.status_code == status, describe(r)
    err = error_of(r)
    if code is not None:
        assert err.get("code") == code, describe(r)
    assert isinstance(err.get("message"), str) and err["message"], describe(r)
    return err


def has_non_ascii(text):
    return any(ord(c) > 127 for c in text)


def ids(items):
    return [it["id"] for it in items]


def meta_csrf(html):
    """content of <meta name="csrf-token" content="…"> in a page."""
    for tag in re.findall(r"<meta\b[^>]*>", html, flags=re.I):
        if re.search(r'name\s*=\s*["\']csrf-token["\']', tag, flags=re.I):
            m = re.search(r'content\s*=\s*["\']([^"\']+)["\']', tag, flags=re.I)
            if m:
                return m.group(1)
    return None


def login_form_csrf(html):
    """value of the sign-in form's hidden _csrf field."""
    m = re.search(r'<input type="hidden" name="_csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


def post_login(s, base, data, **kw):
    """POST /login as a browser does: GET the form first (its hidden _csrf
    field and the gp_login cookie it comes with), then post it with the
    fields of `data`.  `s` is any requests.Session; returns the answer."""
    page = s.get(base + "/login")
    assert page.status_code in (200, 303), describe(page)
    token = login_form_csrf(page.text) if page.status_code == 200 else None
    if token is not None:
        data = {"_csrf": token, **data}
    kw.setdefault("allow_redirects", False)
    return s.post(base + "/login", data=data, **kw)


def set_cookie_headers(r):
    """Every Set-Cookie header of a response (requests folds them)."""
    raw = r.raw._original_response.msg if r.raw is not None and \
        getattr(r.raw, "_original_response", None) is not None else None
    if raw is not None:
        return raw.get_all("Set-Cookie") or []
    v = r.headers.get("Set-Cookie")
    return [v] if v else []


def raw_request(host, port, head, body=b"", expect_continue=False, timeout=30):
    """One HTTP/1.1 request over a plain socket; returns (status, headers
    dict with lower-case names, body bytes).  With expect_continue the body
    is sent only after "100 Continue" (a server may answer at once, e.g. 413);
    errors while sending the body are tolerated so that the answer can still
    be read."""
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        sock.sendall(head)
        data = b""
        if expect_continue:
            data = _read_head(sock)
            if data.startswith(b"HTTP/1.1 100") or data.startswith(b"HTTP/1.0 100"):
                data = data.split(b"\r\n\r\n", 1)[1]
                _send_tolerant(sock, body)
            else:
                return _parse_response(sock, data)
        else:
            _send_tolerant(sock, body)
        return _parse_response(sock, data)
    finally:
        sock.close()


def _send_tolerant(sock, body):
    try:
        view = memoryview(body)
        while view:
            n = sock.send(view[:65536])
            view = view[n:]
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass


def _read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _parse_response(sock, data):
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "-1"))
    try:
        while n >= 0 and len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return status, headers, rest


# ---- the server --------------------------------------------------------------


def run_cli(db, *args, stdin=None, check=True):
    """Run `giapranh --db DB ARGS` from the repository root."""
    p = subprocess.run([BIN, "--db", db, *args], cwd=REPO, input=stdin,
                       capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise RuntimeError(f"giapranh {' '.join(args)} failed ({p.returncode}):\n"
                           f"{p.stdout}\n{p.stderr}")
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    host: str
    port: int
    db: str
    tokens: dict
    users: dict
    proc: subprocess.Popen = None
    log_path: str = None
    _units: dict = field(default_factory=dict)

    def url(self, path):
        return self.base + path

    def anonymous(self, source_ip=None):
        return ApiSession(self.base, source_ip=source_ip)

    def login(self, key):
        """The login name of a test user ("viewer" -> "e2e_viewer")."""
        return self.users[key].login

    def api(self, key):
        """A session signed in by `Authorization: Bearer TOKEN`."""
        return ApiSession(self.base, token=self.tokens[key])

    def sign_in(self, key, password=None):
        """A browser-like session: GET /login, then POST it (form, with
        its _csrf) -> 303 + cookie gp_session; the CSRF token is read from
        <meta name="csrf-token"> of GET / and kept in .csrf."""
        s = ApiSession(self.base)
        pw = password if password is not None else self.users[key].password
        r = s.post_login({"login": self.login(key), "password": pw})
        assert r.status_code == 303, describe(r)
        value = s.cookies.get("gp_session")
        if value is None:  # cookie jars can be picky about IP hosts
            m = re.search(r"gp_session=([^;]+)", ";".join(set_cookie_headers(r)))
            assert m, "no gp_session cookie: " + describe(r)
            value = m.group(1)
            s.cookies.set("gp_session", value)
        s.session_cookie = value
        page = s.get("/")
        assert page.status_code == 200, describe(page)
        s.csrf = meta_csrf(page.text)
        assert s.csrf, "no <meta name=csrf-token> on GET /: " + page.text[:500]
        return s

    def with_cookie(self, value):
        """A session that only carries a given gp_session cookie value."""
        s = ApiSession(self.base)
        s.cookies.set("gp_session", value)
        return s

    def unit_id(self, code, vintage=2024):
        """Id of the administrative unit of this code before (2024) or from
        (2025) 1 July 2025."""
        key = (code, vintage)
        if key not in self._units:
            params = {"code": code}
            if vintage == 2024:
                params["valid_to"] = "2025-06-30"
            else:
                params["valid_from"] = "2025-07-01"
            body = self.api("admin").list("admin_unit", **params)
            assert body["total"] == 1, f"unit {code}/{vintage}: {body}"
            self._units[key] = body["items"][0]["id"]
        return self._units[key]

    def children(self, code, vintage=2024):
        """The units whose parent is the unit of this code."""
        body = self.api("admin").list("admin_unit", parent_id=self.unit_id(code, vintage),
                                      limit=1000, sort="code")
        assert body["items"], f"no children of {code}"
        return body["items"]

    def user_id(self, key):
        body = self.api("admin").list("app_user", login=self.login(key))
        assert body["total"] == 1, body
        return body["items"][0]["id"]

    def log_tail(self, n=4000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-n:].decode("utf-8", "replace")
        except OSError:
            return ""


def _start(db, tmp, *extra, env=None):
    """Start `giapranh --db DB serve --listen 127.0.0.1:PORT EXTRA…` from the
    repository root on a free port, its output in TMP/serve-PORT.log;
    returns (proc, port, log_path) once it is up.  Up means: this process's
    log says it listens, and /healthz answers 200 - an answer alone may
    come from another server that took the port meanwhile.  A port picked
    free can be taken before the server binds it, so a server that exits
    at start is tried again on another port.  ENV: extra variables."""
    last = None
    for _ in range(START_ATTEMPTS):
        port = free_port()
        log_path = os.path.join(tmp, f"serve-{port}.log")
        log = open(log_path, "wb")
        # uploaded files go to the temporary directory, not the repository
        env_all = dict(os.environ, GIAPRANH_FILES=os.path.join(tmp, "files"), **(env or {}))
        proc = subprocess.Popen([BIN, "--db", db, "serve", "--listen", f"127.0.0.1:{port}",
                                 *extra], cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                env=env_all)
        log.close()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            with open(log_path, "rb") as f:
                listening = LISTENING in f.read()
            if listening:
                try:
                    if requests.get(base + "/healthz", timeout=30).status_code == 200:
                        return proc, port, log_path
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        with open(log_path, "rb") as f:
            last = f.read()[-4000:].decode("utf-8", "replace")
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise RuntimeError(f"server did not answer /healthz within "
                               f"{STARTUP_TIMEOUT:.0f} s:\n{last}")
    raise RuntimeError(f"server exited at start {START_ATTEMPTS} times:\n" + (last or ""))


# GIAPRANH_E2E_DB_URL (optional, e.g. a PostgreSQL URL, see tests/pg/README.md):
# run the suite on that database instead of a SQLite file in the temporary
# directory.  The database is DROPPED and recreated first (with psql, through
# the server's "postgres" database), so never point it at data to keep.
E2E_DB_URL = os.environ.get("GIAPRANH_E2E_DB_URL")
# Under pytest-xdist (tests/run.sh runs the suite on two workers) each worker
# has its own server and so needs its own database: its name gets the
# worker's id.  Rewritten in the environment too, before the test modules
# that read the variable themselves (test_ingest) are imported.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if E2E_DB_URL and _WORKER:
    _u = urllib.parse.urlsplit(E2E_DB_URL)
    E2E_DB_URL = urllib.parse.urlunsplit(_u._replace(path=_u.path + "_" + _WORKER))
    if not _u.netloc:  # urlunsplit drops the empty host of "postgresql:///db?host=/dir"
        E2E_DB_URL = E2E_DB_URL.replace(f"{_u.scheme}:", f"{_u.scheme}://", 1)
    os.environ["GIAPRANH_E2E_DB_URL"] = E2E_DB_URL


def _fresh_db(tmp, suffix=""):
    """A new empty database: a SQLite file, or GIAPRANH_E2E_DB_URL's database
    recreated (its name + suffix: a server of its own beside the shared one)."""
    if not E2E_DB_URL:
        return f"sqlite:{tmp}/e2e{suffix}.db"
    url = urllib.parse.urlsplit(E2E_DB_URL)
    name = urllib.parse.unquote(url.path.lstrip("/"))
    assert name and name != "postgres", "GIAPRANH_E2E_DB_URL must name its own database"
    name += suffix
    # (urlunsplit would drop the empty host of "postgresql:///db?host=/dir")
    query = f"?{url.query}" if url.query else ""
    admin = f"{url.scheme}://{url.netloc}/postgres" + query
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql],
                       check=True, capture_output=True, timeout=60)
    if not suffix:
        return E2E_DB_URL
    return f"{url.scheme}://{url.netloc}/{urllib.parse.quote(name)}" + query


# The demo database with the users of USERS and their tokens is made once per
# process (`init --demo` and two commands per user: about 20 s under ASan on
# PostgreSQL) and copied for every server after the first: CREATE DATABASE
# ... TEMPLATE on PostgreSQL, the file on SQLite.  The tokens are the copy's
# too.
_DEMO = {}


def _pg_parts(db):
    url = urllib.parse.urlsplit(db)
    query = f"?{url.query}" if url.query else ""
    return (urllib.parse.unquote(url.path.lstrip("/")),
            f"{url.scheme}://{url.netloc}/postgres" + query)


def _psql(admin, sql):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql],
                   check=True, capture_output=True, timeout=120)


def _demo_database(db):
    """Fill the new empty database db with the demo and the users; their
    tokens by user key."""
    sqlite = db.startswith("sqlite:")
    if _DEMO:
        if sqlite:
            shutil.copyfile(_DEMO["db"], db[len("sqlite:"):])
        else:
            name, admin = _pg_parts(db)
            _psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _psql(admin, f'CREATE DATABASE "{name}" TEMPLATE "{_DEMO["db"]}"')
        return dict(_DEMO["tokens"])
    run_cli(db, "init", "--demo")
    tokens = {}
    for u in USERS:
        args = ["user", "add", "--login", u.login, "--role", u.role]
        if u.unit:
            args += ["--unit", u.unit]
        if u.security:
            args.append("--security")
        if u.name:
            args += ["--name", u.name]
        run_cli(db, *args, stdin=u.password + "\n")
        out = run_cli(db, "token", "create", "--login", u.login).stdout
        lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
        assert lines, f"token create --login {u.login} printed nothing"
        tokens[u.key] = lines[-1]
    # the template, taken before any server opened db (no connection, and
    # the WAL checkpointed into the file when the last command closed it)
    if sqlite:
        path = db[len("sqlite:"):]
        if not any(os.path.exists(path + x) for x in ("-wal", "-shm")):
            tpl = os.path.join(tempfile.mkdtemp(prefix="giapranh-e2e-demo-"), "demo.db")
            shutil.copyfile(path, tpl)
            _DEMO.update(db=tpl, tokens=dict(tokens))
    else:
        name, admin = _pg_parts(db)
        tpl = name + "_demotpl"
        _psql(admin, f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')
        _psql(admin, f'CREATE DATABASE "{tpl}" TEMPLATE "{name}"')
        _DEMO.update(db=tpl, tokens=dict(tokens))
    return tokens


@contextlib.contextmanager
def demo_server(tmp, db, env=None):
    """`init --demo` on db, the users of USERS with a token each, `serve`
    (env: variables added to its environment); yields the Server.  At the
    end: SIGTERM, and the server must exit with 0 within SHUTDOWN_TIMEOUT."""
    tokens = _demo_database(db)
    proc, port, log_path = _start(db, tmp, env=env)
    srv = Server(base=f"http://127.0.0.1:{port}", host="127.0.0.1", port=port,
                 db=db, tokens=tokens, users={u.key: u for u in USERS},
                 proc=proc, log_path=log_path)
    try:
        yield srv
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail(f"server still running {SHUTDOWN_TIMEOUT:.0f} s after "
                            f"SIGTERM:\n{srv.log_tail()}")
        else:
            rc = proc.returncode
            pytest.fail(f"server died during the tests (exit {rc}):\n{srv.log_tail()}")
        assert rc == 0, f"server exit status {rc} after SIGTERM:\n{srv.log_tail()}"


@pytest.fixture(scope="session")
def server():
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"no executable {BIN} (build it, or set GIAPRANH_BIN)")
    with tempfile.TemporaryDirectory(prefix="giapranh-e2e-") as tmp:
        with demo_server(tmp, _fresh_db(tmp)) as srv:
            yield srv


# ---- per-test clients --------------------------------------------------------


@pytest.fixture
def anon(server):
    return server.anonymous()


@pytest.fixture
def admin(server):
    return server.api("admin")


@pytest.fixture
def viewer(server):
    return server.api("viewer")


@pytest.fixture
def secure_viewer(server):
    return server.api("secure_viewer")


@pytest.fixture
def simacai_editor(server):
    return server.api("simacai_editor")


@pytest.fixture
def bacha_editor(server):
    return server.api("bacha_commune_editor")


# ---- record builders -------------------------------------------------------


_seq = [0]


def unique(text):
    """A text made unique within the test run."""
    _seq[0] += 1
    return f"{text} (e2e {os.getpid()}-{_seq[0]})"


def person(**over):
    rec = {"full_name": unique("Nguyễn Văn Thử")}
    rec.update(over)
    return rec


def activity(unit_id, **over):
    rec = {"kind": "patrol", "title": unique("Tuần tra song phương đường biên"),
           "start_on": "2024-03-15", "unit_id": unit_id}
    rec.update(over)
    return rec


def incident(unit_id, **over):
    rec = {"kind": "illegal_crossing", "title": unique("Xuất cảnh trái phép"),
           "occurred_on": "2024-05-02", "unit_id": unit_id, "status": "reported"}
    rec.update(over)
    return rec


def organisation(**over):
    rec = {"name": unique("Ủy ban nhân dân xã thử nghiệm"), "kind": "peoples_committee"}
    rec.update(over)
    return rec
