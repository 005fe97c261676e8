#!/usr/bin/env python3
"""`mindset serve --log-requests` writes one line per request (issue 14, item 3): method, path
without its query, status and milliseconds; never the client's address, the query (a code can ride
in ?code=), a cookie or a form field. Without the option, requests are not logged.

Usage: serve_log_test.py --mindset PATH --surveys DIR
"""

import argparse
import http.client
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxy"))
from proxy_test import Host, fail  # noqa: E402  (one way to start a host; its processes are stopped at exit)


def request(host, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mindset", required=True)
    parser.add_argument("--surveys", required=True)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="mindset-log-")
    try:
        surveys = os.path.join(folder, "surveys")
        os.makedirs(surveys)
        shutil.copy(os.path.join(args.surveys, "riverside-2026.json"), surveys)
        # proxy_test's Host trusts 127.0.0.1 as a proxy: the forwarded address below is the client's.
        logged = Host(args, folder, "logged", "127.0.0.1", surveys=surveys, store_options=["--log-requests"])
        secret = "SECRET-CODE-7Q4"
        forwarded = {"X-Forwarded-For": "203.0.113.77", "Cookie": "mindset_csrf=cookie-value-xyz"}
        if request(logged, "GET", f"/surveys/riverside-2026?lang=en&code={secret}", headers=forwarded) != 200:
            fail("the survey page did not answer 200")
        request(logged, "POST", "/surveys/riverside-2026/start", body=f"csrf=x&code={secret}",
                headers={**forwarded, "Content-Type": "application/x-www-form-urlencoded"})
        request(logged, "GET", "/no-such-page")
        deadline = time.monotonic() + 10
        while logged.log().count(" ms\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        log = logged.log()
        for pattern in [r"^GET /surveys/riverside-2026 200 \d+\.\d ms$", r"^POST /surveys/riverside-2026/start 403 \d+\.\d ms$",
                        r"^GET /no-such-page 404 \d+\.\d ms$"]:
            if not re.search(pattern, log, re.MULTILINE):
                fail(f"no line matching {pattern!r} in the log:\n{log}")
        for leaked in [secret, "203.0.113.77", "cookie-value-xyz", "lang=en"]:
            if leaked in log:
                fail(f"the request log holds {leaked!r}:\n{log}")
        logged.stop()

        quiet = Host(args, folder, "quiet", "127.0.0.1", surveys=surveys)
        request(quiet, "GET", "/surveys/riverside-2026?lang=en")
        time.sleep(0.3)
        if " ms\n" in quiet.log():
            fail(f"requests were logged without --log-requests:\n{quiet.log()}")
        quiet.stop()
        print("PASS: one line per request with --log-requests, without the query, address, cookie or form; none without it")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
