"""A small SMTP server on 127.0.0.1 for the tests: it accepts every message and keeps it as bytes."""
from __future__ import annotations

import email
import email.policy
import socketserver
import threading


class _Session(socketserver.StreamRequestHandler):
    def _reply(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self):
        self._reply(b"220 fake.test ESMTP")
        envelope: list[bytes] = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line[:4].upper()
            if command == b"EHLO":
                self._reply(b"250-fake.test")
                self._reply(b"250 8BITMIME")
            elif command == b"HELO":
                self._reply(b"250 fake.test")
            elif command in (b"MAIL", b"RSET"):
                envelope = []
                self._reply(b"250 OK")
            elif command == b"RCPT":
                envelope.append(line.strip())
                self._reply(b"250 OK")
            elif command == b"NOOP":
                self._reply(b"250 OK")
            elif command == b"DATA":
                self._reply(b"354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    part = self.rfile.readline()
                    if not part or part == b".\r\n":
                        break
                    data.append(part[1:] if part.startswith(b".") else part)  # undo dot-stuffing
                self.server.received.append(b"".join(data))
                self._reply(b"250 OK: queued")
            elif command == b"QUIT":
                self._reply(b"221 Bye")
                return
            else:
                self._reply(b"502 Not implemented")


class FakeSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Session)
        self.received: list[bytes] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeSMTP:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def messages(self) -> list[email.message.EmailMessage]:
        """What arrived, parsed as a mail client would; `raw` on each is the bytes as sent."""
        parsed = []
        for raw in self.received:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            message.raw = raw
            parsed.append(message)
        return parsed
