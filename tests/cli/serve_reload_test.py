#!/usr/bin/env python3
"""`mindset serve` reads its survey folder again on SIGHUP (issue 14, item 2), without a restart:

1. an edited survey is served as edited from the next request on; a new file is served;
2. a survey whose file is broken by an edit keeps serving its last good version, and the log says
   so with a WARNING naming the survey and the file's problem;
3. a survey whose file is deleted is no longer served (404);
4. the server is the same process throughout, and SIGTERM still stops it cleanly.

Usage: serve_reload_test.py --mindset PATH --surveys DIR
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxy"))
from proxy_test import Host, fail  # noqa: E402  (one way to start a host; its processes are stopped at exit)


def get(host, path):
    connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, body


def reload(host, reloads_before):
    """Sends SIGHUP and waits until the log shows one more finished reload than before."""
    host.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while host.log().count("Surveys reloaded:") <= reloads_before:
        if host.process.poll() is not None:
            fail(f"mindset serve exited with {host.process.returncode} on SIGHUP:\n{host.log()}")
        if time.monotonic() > deadline:
            fail(f"no reload within 30 s of SIGHUP:\n{host.log()}")
        time.sleep(0.05)
    return reloads_before + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mindset", required=True)
    parser.add_argument("--surveys", required=True)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="mindset-reload-")
    try:
        surveys = os.path.join(folder, "surveys")
        os.makedirs(surveys)
        for name in ("riverside-2026.json", "pecan-grove-2026.json", "trinity-falls-2026.json"):
            shutil.copy(os.path.join(args.surveys, name), surveys)
        host = Host(args, folder, "reload", "127.0.0.1", surveys=surveys)
        pid = host.process.pid
        status, body = get(host, "/surveys/riverside-2026?lang=en")
        if status != 200 or "Riverside ISD staff mindset survey, 2026–27" not in body:
            fail(f"before the reload: {status}, title not found")

        # 1. An edit and a new file.
        riverside = os.path.join(surveys, "riverside-2026.json")
        with open(riverside, encoding="utf-8") as f:
            survey = json.load(f)
        survey["title"]["en"] = "Riverside ISD staff survey, spring 2027"
        with open(riverside, "w", encoding="utf-8") as f:
            json.dump(survey, f, ensure_ascii=False, indent=2)
        shutil.copy(os.path.join(args.surveys, "riverside-2025.json"), surveys)
        reloads = reload(host, 0)
        status, body = get(host, "/surveys/riverside-2026?lang=en")
        if status != 200 or "Riverside ISD staff survey, spring 2027" not in body:
            fail(f"the edit was not served after SIGHUP: {status}\n{host.log()}")
        if "changed: riverside-2026; new: riverside-2025." not in host.log():
            fail(f"the reload's log line does not name the change:\n{host.log()}")
        if get(host, "/surveys/riverside-2025?lang=en")[0] != 200:
            fail("the new survey file is not served after SIGHUP")

        # 2. A broken edit: the last good version stays, loudly.
        pecan = os.path.join(surveys, "pecan-grove-2026.json")
        with open(pecan, encoding="utf-8") as f:
            good = f.read()
        with open(pecan, "w", encoding="utf-8") as f:
            f.write(good + ",")  # a trailing comma: a JSON syntax error
        reloads = reload(host, reloads)
        log = host.log()
        if "WARNING: survey pecan-grove-2026 did not load after its file was edited" not in log or "pecan-grove-2026.json" not in log:
            fail(f"no warning for the broken file:\n{log}")
        status, body = get(host, "/surveys/pecan-grove-2026?lang=en")
        if status != 200:
            fail(f"the broken survey's last good version is not served: {status}")

        # 3. A deleted file.
        os.remove(os.path.join(surveys, "trinity-falls-2026.json"))
        reloads = reload(host, reloads)
        if get(host, "/surveys/trinity-falls-2026?lang=en")[0] != 404:
            fail("a deleted survey file is still served after SIGHUP")
        if "no longer served (file gone): trinity-falls-2026" not in host.log():
            fail(f"the reload's log line does not name the removed survey:\n{host.log()}")

        # 4. Same process; SIGTERM stops it.
        if host.process.pid != pid or host.process.poll() is not None:
            fail("the server did not keep running through the reloads")
        host.stop()
        if host.process.returncode != 0:
            fail(f"serve exited with {host.process.returncode} on SIGTERM:\n{host.log()}")
        if not re.search(r"Surveys reloaded: 3 served", host.log()):
            fail(f"the last reload does not say 3 surveys are served:\n{host.log()}")
        print("PASS: edits, new and deleted survey files are picked up on SIGHUP; a broken edit keeps its last good version")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
