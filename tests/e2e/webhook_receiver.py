"""A webhook receiver for the tests (docs/WEBHOOKS.md), as an integrator
writes one: Python's http.server on 127.0.0.1 and a free port, in a thread
of the test process.

Each POST is checked as the documentation says a receiver must:
  * X-Giapranh-Signature is "sha256=" + HMAC-SHA256(secret, TIMESTAMP "." BODY),
    compared in constant time;
  * X-Giapranh-Timestamp is within TOLERANCE seconds of now (a signed body
    replayed later is refused);
  * X-Giapranh-Delivery has not been accepted before (a replay is refused),
    and is the body's delivery_id.
A request that fails a check is answered 401 and kept in `refused`; one
that passes is kept in `accepted` and answered 204 - unless `fail_first`
says to answer 500 to the first attempts of each delivery (a receiver that
is down for a while), which are kept in `failed`.
"""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300  # seconds


def signature(secret, timestamp, body):
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                hashlib.sha256).hexdigest()


class Receiver:
    def __init__(self, secret, fail_first=0):
        self.secret = secret
        self.fail_first = fail_first
        self.lock = threading.Lock()
        self.accepted, self.refused, self.failed = [], [], []
        self.tries = {}  # delivery id -> attempts seen
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                status, why = receiver.judge(self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/giapranh"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def judge(self, headers, body):
        ts = headers.get("X-Giapranh-Timestamp", "")
        sig = headers.get("X-Giapranh-Signature", "")
        did = headers.get("X-Giapranh-Delivery", "")
        entry = {"headers": dict(headers), "body": body}
        try:
            entry["json"] = json.loads(body)
        except ValueError:
            entry["json"] = None
        with self.lock:
            why = None
            if not hmac.compare_digest(sig, signature(self.secret, ts, body)):
                why = "signature"
            elif not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE:
                why = "timestamp"
            elif any(a["headers"].get("X-Giapranh-Delivery") == did for a in self.accepted):
                why = "replay"
            elif entry["json"] is None or entry["json"].get("delivery_id") != did:
                why = "delivery id"
            if why is not None:
                entry["why"] = why
                self.refused.append(entry)
                return 401, why
            self.tries[did] = self.tries.get(did, 0) + 1
            if self.tries[did] <= self.fail_first:
                self.failed.append(entry)
                return 500, "down"
            self.accepted.append(entry)
            return 204, None

    def events(self):
        with self.lock:
            return [a["json"] for a in self.accepted]

    def wait_for(self, pred, what, timeout=90.0):
        """The first accepted event pred takes; a bound for a broken run,
        never a timing the test relies on."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ev in self.events():
                if pred(ev):
                    return ev
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {timeout:.0f} s; accepted "
                             f"{len(self.accepted)}, refused "
                             f"{[r['why'] for r in self.refused]}, failed {len(self.failed)}")
