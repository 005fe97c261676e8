#!/usr/bin/env python3
"""One `mindset serve` per SQLite database (issue 12): a server keeps its respondents' drafts in
memory, so a second server on the same data folder is refused at start, naming the first one's
process, and the first keeps serving. Saved answers are in the database, not only in memory: a
server started after the first stops shows them.

Usage: serve_one_per_database_test.py --mindset PATH --surveys DIR
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxy"))
from proxy_test import Host, fail  # noqa: E402  (one way to start a host; its processes are stopped at exit)

SURVEY = "riverside-2026"


class Respondent:
    """A browser's cookies against one host (the draft and CSRF cookies)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, host, path):
        with self.opener.open(f"http://127.0.0.1:{host.port}{path}", timeout=10) as response:
            return response.status, response.read().decode()

    def post(self, host, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(f"http://127.0.0.1:{host.port}{path}", data=data, timeout=10) as response:
            return response.status, response.read().decode()

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "mindset_csrf")


def checked_answers(page):
    return sorted(re.findall(r'name="(i\.[^"]+)" value="(\d+)" checked>', page))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mindset", required=True)
    parser.add_argument("--surveys", required=True)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="mindset-one-serve-")
    try:
        surveys = os.path.join(folder, "surveys")
        os.makedirs(surveys)
        shutil.copy(os.path.join(args.surveys, f"{SURVEY}.json"), surveys)
        first = Host(args, folder, "shared", "127.0.0.1", surveys=surveys)
        data_dir = os.path.join(folder, "data-shared")

        second = subprocess.run([args.mindset, "serve", "--port", "0", "--data-dir", data_dir, "--surveys", surveys],
                                capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        expected = (f"mindset serve: not started: another `mindset serve` (process {first.process.pid}) already serves "
                    f"{os.path.join(data_dir, 'mindset.sqlite')}")
        if second.returncode != 69 or expected not in second.stderr:
            fail(f"a second server on the same data folder: expected exit 69 and {expected!r}, got {second.returncode}:\n"
                 f"{second.stdout}{second.stderr}")
        if "Mindset is running" in second.stdout:
            fail("the second server said it was running")

        # The first server still serves, and keeps a respondent's answers.
        respondent = Respondent()
        status, _ = respondent.get(first, f"/surveys/{SURVEY}")
        if status != 200:
            fail(f"the first server answered {status} after the second was refused")
        respondent.post(first, f"/surveys/{SURVEY}/start", {"csrf": respondent.csrf(), "lang": "en"})
        _, page = respondent.get(first, f"/surveys/{SURVEY}/pages/2")
        names = sorted(set(re.findall(r'name="(i\.[^"]+)" value="\d+"', page)))
        if len(names) < 5:
            fail(f"page 2 has {len(names)} statements, expected the first instrument's")
        answers = {name: str(1 + i % 5) for i, name in enumerate(names)}
        respondent.post(first, f"/surveys/{SURVEY}/pages/2", {"csrf": respondent.csrf(), "lang": "en", "action": "later", **answers})
        _, page = respondent.get(first, f"/surveys/{SURVEY}/pages/2")
        if checked_answers(page) != sorted(answers.items()):
            fail(f"the first server shows {checked_answers(page)} after saving {sorted(answers.items())}")
        changed = {**answers, names[0]: "5" if answers[names[0]] != "5" else "4"}
        respondent.post(first, f"/surveys/{SURVEY}/pages/2", {"csrf": respondent.csrf(), "lang": "en", "action": "later", **changed})
        _, page = respondent.get(first, f"/surveys/{SURVEY}/pages/2")
        if checked_answers(page) != sorted(changed.items()):
            fail(f"the first server shows {checked_answers(page)} after changing an answer to {sorted(changed.items())}")

        # Once it stops, another server may take the folder, and finds the answers in the database.
        first.stop()
        after = Host(args, folder, "shared", "127.0.0.1", surveys=surveys)
        _, page = respondent.get(after, f"/surveys/{SURVEY}/pages/2")
        if checked_answers(page) != sorted(changed.items()):
            fail(f"a server started on the same folder later shows {checked_answers(page)}, expected {sorted(changed.items())}")
        after.stop()
        print("one server per SQLite database: the second refused naming the first; answers kept in the database")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
