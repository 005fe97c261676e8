#!/usr/bin/env python3
"""Two `mindset serve` processes on one PostgreSQL database: what several hosts behind a load
balancer share (issue 13). Each check fails when the state it needs lives in one process only.

  multihost_test.py --mindset BIN --surveys DIR --postgres-state DIR

  - a session made on host A works on host B;
  - a sign-in lock made on A (five wrong passwords) holds on B, where the right password is then
    refused too;
  - a draft saved on A (a page of answers) is continued and submitted on B, which stores it once;
  - one access code posted to A and B at the same moment stores exactly one response; the other
    host says the code was used.

The PostgreSQL server is the throwaway one tests/support/throwaway-postgres.sh started (its URI in
DIR/uri); this script makes a database of its own in it and drops it at the end. Both hosts read a
copy of the survey folder in which riverside-2026 asks for access codes. Standard library and psql.
"""
import argparse
import atexit
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SURVEY = "riverside-2026"
PASSWORD = "correct horse battery staple"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxy"))
from proxy_test import Host, fail  # noqa: E402  (one way to start a host; its processes are stopped at exit)


class Browser:
    """A client with its own cookies, which may talk to either host."""

    def __init__(self):
        self.cookies = {}

    def request(self, host, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=30)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";")[0]
                if "Max-Age=0" in value or cookie_value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        connection.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), text

    def csrf(self):
        return self.cookies.get("mindset_csrf", "")


def psql(uri, sql):
    result = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", uri, "-c", sql],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"psql {sql!r}: {result.stderr.strip()}")
    return result.stdout.strip()


def mindset(args, database, *command, stdin=None):
    result = subprocess.run([args.mindset, *command, "--database", database], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"mindset {' '.join(command)} exited with {result.returncode}: {result.stdout}{result.stderr}")
    return result.stdout


def page_answers(html):
    """Every question of a form page answered: the first choice of each radio group and select, the
    first box of each group of checkboxes."""
    fields = []
    seen = set()
    for name, value in re.findall(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)"', html):
        if name not in seen:
            seen.add(name)
            fields.append((name, value))
    for name, options in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        value = next((v for v in re.findall(r'<option value="([^"]+)"', options)), None)
        if value is not None and name not in seen:
            seen.add(name)
            fields.append((name, value))
    return fields


def answer_page(browser, host, page, action):
    status, _, html = browser.request(host, "GET", f"/surveys/{SURVEY}/pages/{page}")
    if status != 200:
        fail(f"page {page} on host {host.name}: HTTP {status}")
    form = [("csrf", browser.csrf()), ("lang", "en"), ("action", action)] + page_answers(html)
    return browser.request(host, "POST", f"/surveys/{SURVEY}/pages/{page}", form)


def page_count(browser, host):
    status, _, html = browser.request(host, "GET", f"/surveys/{SURVEY}/pages/1")
    found = re.search(r'<progress max="(\d+)"', html)
    if status != 200 or not found:
        fail(f"page 1 on host {host.name}: HTTP {status}, no progress bar")
    return int(found.group(1))


def start(browser, host, code):
    browser.request(host, "GET", f"/surveys/{SURVEY}")
    return browser.request(host, "POST", f"/surveys/{SURVEY}/start", [("csrf", browser.csrf()), ("lang", "en"), ("code", code)])


def responses_stored(uri):
    return int(psql(uri, "SELECT COUNT(*) FROM responses"))


def check_sessions_and_locks(a, b):
    leader = Browser()
    leader.request(a, "GET", "/login")
    status, headers, _ = leader.request(a, "POST", "/login", [("csrf", leader.csrf()), ("username", "lee"), ("password", PASSWORD), ("next", "/leader")])
    if status != 303:
        fail(f"signing in on host A: HTTP {status}")
    status, _, html = leader.request(b, "GET", "/leader")
    if status != 200 or "lee" not in html:
        fail(f"the session made on host A does not work on host B: HTTP {status}")
    print("a session made on host A works on host B")

    attacker = Browser()
    attacker.request(a, "GET", "/login")
    for attempt in range(5):
        status, _, _ = attacker.request(a, "POST", "/login", [("csrf", attacker.csrf()), ("username", "pat"), ("password", f"guess {attempt}")])
    # The right password, from another client on host B: refused while the lock made on A lasts.
    other = Browser()
    other.request(b, "GET", "/login")
    status, headers, html = other.request(b, "POST", "/login", [("csrf", other.csrf()), ("username", "pat"), ("password", PASSWORD)])
    if status != 429:
        fail(f"after five wrong passwords on host A, the right one on host B answered HTTP {status}, not 429")
    if "retry-after" not in headers:
        fail("the refusal on host B does not say when to retry (Retry-After)")
    print(f"a sign-in lock made on host A holds on host B (429, Retry-After {headers['retry-after']} s)")


def check_draft_moves(a, b, uri, code):
    staff = Browser()
    status, _, _ = start(staff, a, code)
    if status != 303:
        fail(f"starting with a code on host A: HTTP {status}")
    pages = page_count(staff, a)
    status, _, _ = answer_page(staff, a, 1, "next")
    if status != 303:
        fail(f"saving page 1 on host A: HTTP {status}")
    # Host B shows the answers host A saved, then takes the rest and the submission.
    status, _, html = staff.request(b, "GET", f"/surveys/{SURVEY}/pages/1")
    if status != 200 or " checked" not in html:
        fail(f"host B does not show the answers saved on host A (HTTP {status})")
    before = responses_stored(uri)
    for page in range(2, pages + 1):
        status, headers, _ = answer_page(staff, b, page, "submit" if page == pages else "next")
        if status != 303:
            fail(f"page {page} of {pages} on host B: HTTP {status}")
    if responses_stored(uri) != before + 1:
        fail(f"a draft from host A submitted on host B stored {responses_stored(uri) - before} responses, not 1")
    print("a draft saved on host A was submitted on host B, once")


def check_code_race(a, b, uri, code):
    browsers = {a: Browser(), b: Browser()}
    pages = None
    for host, browser in browsers.items():
        status, _, _ = start(browser, host, code)
        if status != 303:
            fail(f"starting with the code on host {host.name}: HTTP {status}")
        pages = page_count(browser, host)
        for page in range(1, pages):
            status, _, _ = answer_page(browser, host, page, "next")
            if status != 303:
                fail(f"page {page} on host {host.name}: HTTP {status}")
    finals = {}
    for host, browser in browsers.items():
        _, _, html = browser.request(host, "GET", f"/surveys/{SURVEY}/pages/{pages}")
        finals[host] = [("csrf", browser.csrf()), ("lang", "en"), ("action", "submit")] + page_answers(html)
    before = responses_stored(uri)
    results = {}
    barrier = threading.Barrier(2)

    def submit(host):
        barrier.wait()
        results[host.name] = browsers[host].request(host, "POST", f"/surveys/{SURVEY}/pages/{pages}", finals[host])

    threads = [threading.Thread(target=submit, args=(host,)) for host in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = responses_stored(uri) - before
    statuses = sorted(result[0] for result in results.values())
    if stored != 1:
        fail(f"one code posted to both hosts at once stored {stored} responses (answers {statuses})")
    refused = [result for result in results.values() if result[0] != 303]
    if len(refused) != 1 or "already been used" not in refused[0][2]:
        fail(f"the host that lost the race should say the code was used; answers {statuses}")
    print(f"one code posted to hosts A and B at once stored exactly one response (answers {statuses})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mindset", required=True)
    parser.add_argument("--surveys", required=True)
    parser.add_argument("--postgres-state", required=True)
    args = parser.parse_args()
    if shutil.which("psql") is None:
        fail("psql is not installed (package postgresql-client-15; .ci/setup installs postgresql-15)")
    with open(os.path.join(args.postgres_state, "uri")) as f:
        server = f.read().strip()
    name = f"multihost_{os.getpid()}"
    psql(server, f"CREATE DATABASE {name}")
    database = server.rsplit("/", 1)[0] + "/" + name
    atexit.register(lambda: subprocess.run(["psql", "-X", "-q", server, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True))

    folder = tempfile.mkdtemp(prefix="mindset-multihost.")
    atexit.register(lambda: shutil.rmtree(folder, ignore_errors=True))
    surveys = os.path.join(folder, "surveys")
    os.mkdir(surveys)
    with open(os.path.join(args.surveys, f"{SURVEY}.json")) as f:
        survey = json.load(f)
    survey["access"] = "codes"
    with open(os.path.join(surveys, f"{SURVEY}.json"), "w") as f:
        json.dump(survey, f, ensure_ascii=False, indent=2)

    mindset(args, database, "users", "add", "lee", "--district", "riverside-isd", stdin=PASSWORD + "\n")
    mindset(args, database, "users", "add", "pat", "--district", "riverside-isd", stdin=PASSWORD + "\n")
    a = Host(args, folder, "A", "127.0.0.1", surveys, ["--database", database])
    b = Host(args, folder, "B", "127.0.0.1", surveys, ["--database", database])
    school = survey["schools"][0]["id"]
    printed = mindset(args, database, "codes", "issue", "--survey", SURVEY, "--school", school, "--count", "2", "--surveys", surveys)
    codes = list(dict.fromkeys(re.findall(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b", printed)))  # a sheet may print a code twice
    if len(codes) < 2:
        fail("mindset codes issue printed no codes")

    check_sessions_and_locks(a, b)
    check_draft_moves(a, b, database, codes[0])
    check_code_race(a, b, database, codes[1])
    print("PASSED")


if __name__ == "__main__":
    main()
