#!/usr/bin/env python3
"""metadata_server.py - a local stand-in for the two credential endpoints
qldbtop reads, for tests (stdlib only):

  container credentials   GET /container/creds (any path under /container/)
                          needs "Authorization: <--container-token>" when
                          that option is given; answers
                          {AccessKeyId, SecretAccessKey, Token, Expiration}.
  IMDSv2                  PUT /latest/api/token needs the header
                          X-aws-ec2-metadata-token-ttl-seconds with 1..21600
                          (else 400) and answers a fresh token;
                          GET /latest/meta-data/iam/security-credentials/
                          answers the role name and
                          GET .../ROLE the keys, both only with a token this
                          server issued (else 401).

Binds 127.0.0.1:0 and prints "port: N" (flushed) once it listens.

Behaviour is set by flags and can be changed while running with
POST /_control?key=value&... (same keys as the flags, without dashes):
  --fail WHAT=STATUS   answer STATUS for WHAT (token, role, creds,
                       container), e.g. --fail token=403
  --slow SECONDS       sleep before every answer (timeouts)
  --expire-in SECONDS  Expiration this far from now (default 3600)
  --bad-json           answer credentials that are not JSON
GET /_stats answers JSON counters of the requests served, by kind
(token, role, creds, container) and of those refused for a missing or
wrong token (refused: IMDS; container_refused).
The keys served are fixed (tests look for them):
  AccessKeyId ASIAMETADATATEST0001, SecretAccessKey
  metadata-secret-never-printed, Token metadata-token-never-printed.
"""
import argparse
import datetime
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AKID = "ASIAMETADATATEST0001"
SECRET = "metadata-secret-never-printed"
TOKEN = "metadata-token-never-printed"
ROLE = "qldbtop-test-role"
ROLE_PATH = "/latest/meta-data/iam/security-credentials/"

STATE = {"fail": {}, "slow": 0.0, "expire_in": 3600.0, "bad_json": False,
         "container_token": None}
STATS = {"token": 0, "role": 0, "creds": 0, "container": 0, "refused": 0,
         "container_refused": 0}
TOKENS = set()
LOCK = threading.Lock()


def set_option(key, value):
    with LOCK:
        if key == "fail":
            what, _, status = value.partition("=")
            if status in ("", "0"):
                STATE["fail"].pop(what, None)
            else:
                STATE["fail"][what] = int(status)
        elif key == "slow":
            STATE["slow"] = float(value)
        elif key in ("expire_in", "expire-in"):
            STATE["expire_in"] = float(value)
        elif key in ("bad_json", "bad-json"):
            STATE["bad_json"] = value not in ("0", "false", "")
        elif key in ("container_token", "container-token"):
            STATE["container_token"] = value or None
        else:
            raise ValueError(key)


def creds_body():
    if STATE["bad_json"]:
        return b"AccessKeyId=" + AKID.encode() + b" this is not JSON"
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=STATE["expire_in"])
    return json.dumps({
        "Code": "Success",
        "Type": "AWS-HMAC",
        "AccessKeyId": AKID,
        "SecretAccessKey": SECRET,
        "Token": TOKEN,
        "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: tests read stdout
        pass

    def answer(self, status, body=b"", ctype="text/plain"):
        with LOCK:
            slow = STATE["slow"]
        if slow and not self.path.startswith("/_"):  # control stays quick
            time.sleep(slow)
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def failing(self, what):
        with LOCK:
            status = STATE["fail"].get(what)
        if status:
            self.answer(status, b"failing on purpose")
            return True
        return False

    def token_ok(self):
        tok = self.headers.get("X-aws-ec2-metadata-token")
        with LOCK:
            return tok is not None and tok in TOKENS

    def do_PUT(self):
        path = self.path.split("?", 1)[0]
        if path != "/latest/api/token":
            return self.answer(404)
        with LOCK:
            STATS["token"] += 1
        if self.failing("token"):
            return
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return self.answer(400, b"bad ttl")
        tok = secrets.token_urlsafe(24)
        with LOCK:
            TOKENS.add(tok)
        self.answer(200, tok.encode())

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/_stats":
            with LOCK:
                body = json.dumps(STATS).encode()
            return self.answer(200, body, "application/json")
        if path.startswith("/container/"):
            with LOCK:
                STATS["container"] += 1
                want = STATE["container_token"]
            if self.failing("container"):
                return
            if want is not None and self.headers.get("Authorization") != want:
                with LOCK:
                    STATS["container_refused"] += 1
                return self.answer(401, b"bad authorization")
            return self.answer(200, creds_body(), "application/json")
        if path.startswith(ROLE_PATH):
            role = path[len(ROLE_PATH):]
            kind = "role" if role == "" else "creds"
            with LOCK:
                STATS[kind] += 1
            if self.failing(kind):
                return
            if not self.token_ok():
                with LOCK:
                    STATS["refused"] += 1
                return self.answer(401, b"")
            if kind == "role":
                return self.answer(200, ROLE.encode())
            if role != ROLE:
                return self.answer(404)
            return self.answer(200, creds_body(), "application/json")
        self.answer(404)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/_control":
            return self.answer(404)
        try:
            for key, value in urllib.parse.parse_qsl(url.query, keep_blank_values=True):
                set_option(key, value)
        except ValueError as e:
            return self.answer(400, str(e).encode())
        self.answer(200, b"ok")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--slow", default="0")
    ap.add_argument("--expire-in", default="3600")
    ap.add_argument("--bad-json", action="store_true")
    ap.add_argument("--container-token")
    a = ap.parse_args()
    for f in a.fail:
        set_option("fail", f)
    set_option("slow", a.slow)
    set_option("expire_in", a.expire_in)
    set_option("bad_json", "1" if a.bad_json else "0")
    if a.container_token:
        set_option("container_token", a.container_token)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print("port: %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
