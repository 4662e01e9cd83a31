"""
A local SMTP server that keeps what it is sent, for the reminder tests
(test_reminders.py): Python's standard library only (socketserver; the old
smtpd module is gone from Python 3.12).

    with SmtpSink() as sink:            # listens on 127.0.0.1, a free port
        url = sink.url                  # "smtp://127.0.0.1:PORT"
        ...
        msgs = sink.wait_for(1)         # [Received(...)], within a bound

It speaks enough of RFC 5321 for a client such as libcurl: EHLO/HELO, MAIL,
RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT; no TLS, no AUTH (neither is
offered).  With refuse=True it answers DATA with 554, as a relay that
rejects the mail.
"""
import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass, field

WAIT_S = 120.0  # a bound for a broken run, not an outcome


@dataclass
class Received:
    mail_from: str
    rcpt_to: list
    data: bytes
    message: email.message.EmailMessage = field(repr=False)

    @property
    def subject(self):
        return str(self.message["Subject"])

    @property
    def body(self):
        return self.message.get_content()


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line):
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        sink = self.server.sink
        mail_from, rcpt = None, []
        self.reply("220 smtp-sink ESMTP")
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("latin-1").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-smtp-sink")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 smtp-sink")
            elif verb == "MAIL":
                mail_from, rcpt = line.split(":", 1)[1].strip().strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                if sink.refuse:
                    self.reply("554 refused by the test")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    d = self.rfile.readline(1 << 20)
                    if not d or d in (b".\r\n", b".\n"):
                        break
                    lines.append(d[1:] if d.startswith(b"..") else d)
                data = b"".join(lines)
                msg = email.message_from_bytes(data, policy=email.policy.default)
                with sink.lock:
                    sink.messages.append(Received(mail_from, rcpt, data, msg))
                self.reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpt = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self, refuse=False):
        self.messages = []
        self.lock = threading.Lock()
        self.refuse = refuse
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def received(self):
        with self.lock:
            return list(self.messages)

    def to(self, address):
        return [m for m in self.received() if address in m.rcpt_to]

    def wait_for(self, n, address=None, timeout=WAIT_S):
        """At least n messages (to address, when given), waiting up to the
        bound; returns them (fewer when the bound passed)."""
        until = time.monotonic() + timeout
        while True:
            got = self.to(address) if address else self.received()
            if len(got) >= n or time.monotonic() > until:
                return got
            time.sleep(0.1)
