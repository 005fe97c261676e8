#!/usr/bin/env python3
"""The shipped nginx configuration (docs/deploy/nginx/mindset.conf) in front of real `mindset serve`
processes: what an operator who follows docs/running-a-survey.md ("Behind nginx") gets.

  proxy_test.py slow-clients   --mindset BIN --config CONF --surveys DIR
      Two hosts behind nginx. Plain HTTP redirects to HTTPS; nginx refuses bodies over Mindset's
      64 KiB and passes one of 64 KiB. 200 connections dribble header bytes into nginx; a fresh request
      must still be answered within 1 s. The same 200 against one host directly are printed as a
      figure (no assertion: that is what the proxy is for). Then one host is stopped and every
      request through nginx is still answered by the other.

  proxy_test.py forwarded-for  --mindset BIN --config CONF --surveys DIR
      One host behind nginx, trusting only nginx. Whatever X-Forwarded-For a client sends, the host
      sees the client's real address: a client that rotates forged addresses is still locked out of
      signing in after 20 failures, another client through the same nginx is not, and a forged
      header sent straight to the host (not from nginx) is ignored. X-Forwarded-Proto: cookies get
      Secure through nginx's TLS, not when a client claims https directly.

nginx runs as an ordinary process on free ports, with its own prefix, temporary folders and a
throwaway self-signed certificate in a temporary folder; as root it runs as `nobody`. Exits 77
(CTest: skipped) with the reason when nginx or openssl is not installed. Standard library only.
"""
import argparse
import atexit
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SKIPPED = 77
SURVEY_PAGE = "/surveys/riverside-2026"
SLOW_CLIENTS = 200
FRESH_REQUEST_LIMIT_S = 1.0
MAX_BODY_BYTES = 64 * 1024  # host/web/HttpServer.h, ServerOptions::maxBodyBytes

started_processes = []  # every process this script started; stopped by their own PIDs at exit


def fail(message):
    print(f"FAILED: {message}", flush=True)
    sys.exit(1)


def find_program(name):
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/local/sbin", "/sbin"):  # nginx is in sbin, off a user's PATH
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@atexit.register
def stop_everything():
    for process in started_processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started_processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Host:
    """One `mindset serve` on a free port with its own data folder, trusting `trusted_proxy`; survey
    folder `surveys` (default args.surveys) and `store_options` such as ["--database", URI] (also used
    by tests/multihost and tests/bench/scaleout.py)."""

    def __init__(self, args, folder, name, trusted_proxy, surveys=None, store_options=()):
        self.name = name
        data_dir = os.path.join(folder, f"data-{name}")
        self.log_path = os.path.join(folder, f"serve-{name}.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [args.mindset, "serve", "--port", "0", "--data-dir", data_dir, "--surveys", surveys or args.surveys,
                 "--trusted-proxy", trusted_proxy, *store_options],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        started_processes.append(self.process)
        deadline = time.monotonic() + 60
        while True:
            with open(self.log_path) as log:
                found = re.search(r"Mindset is running at http://127\.0\.0\.1:(\d+)/", log.read())
            if found:
                self.port = int(found.group(1))
                return
            if self.process.poll() is not None:
                fail(f"mindset serve ({name}) exited with {self.process.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                fail(f"mindset serve ({name}) did not print its address within 60 s:\n{self.log()}")
            time.sleep(0.05)

    def log(self):
        with open(self.log_path) as log:
            return log.read()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Nginx:
    """nginx with the shipped configuration, rewritten only where a test must differ: its ports,
    the hosts it balances over, a throwaway certificate, and log files in its own folder."""

    def __init__(self, args, folder, host_ports):
        self.prefix = os.path.join(folder, "nginx")
        os.makedirs(self.prefix)
        self.https_port = free_port()
        self.http_port = free_port()
        certificate = os.path.join(self.prefix, "certificate.pem")
        key = os.path.join(self.prefix, "key.pem")
        made = subprocess.run(
            [args.openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", key, "-out", certificate], capture_output=True, text=True)
        if made.returncode != 0:
            fail(f"openssl could not make a test certificate:\n{made.stderr}")
        self.certificate = certificate

        with open(args.config) as shipped:
            site = shipped.read()
        upstream_lines = lambda match: "".join(
            f"{match.group(1)}server 127.0.0.1:{port} {match.group(2)};\n" for port in host_ports)
        for pattern, replacement in [
            (r"^(\s*)server 127\.0\.0\.1:8080 (.*);\n", upstream_lines),
            (r"^\s*listen \[::\]:\d+.*\n", ""),  # the test machine may have no IPv6
            (r"listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            (r"listen 443 ssl", f"listen 127.0.0.1:{self.https_port} ssl"),
            (r"ssl_certificate +\S+;", f"ssl_certificate {certificate};"),
            (r"ssl_certificate_key +\S+;", f"ssl_certificate_key {key};"),
            (r"/var/log/nginx/mindset-access\.log", os.path.join(self.prefix, "access.log")),
            (r"/var/log/nginx/mindset-error\.log crit;", os.path.join(self.prefix, "error.log") + " warn;"),
        ]:
            site, count = re.subn(pattern, replacement, site, flags=re.MULTILINE)
            if count == 0:
                fail(f"{args.config} no longer matches /{pattern}/: update tests/proxy/proxy_test.py with it")
        with open(os.path.join(self.prefix, "mindset.conf"), "w") as out:
            out.write(site)

        temporary = lambda name: os.path.join(self.prefix, name)
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as out:
            out.write(f"""worker_processes 1;
pid {temporary('nginx.pid')};
error_log {temporary('error.log')} warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {temporary('client_body')};
    proxy_temp_path {temporary('proxy')};
    fastcgi_temp_path {temporary('fastcgi')};
    uwsgi_temp_path {temporary('uwsgi')};
    scgi_temp_path {temporary('scgi')};
    include {temporary('mindset.conf')};
}}
""")
        command = [args.nginx, "-p", self.prefix + "/", "-c", temporary("nginx.conf"), "-e", temporary("error.log"),
                   "-g", "daemon off;"]
        as_user = {}
        if os.geteuid() == 0:  # never run a test's nginx as root: as nobody, owning only its folder
            nobody = pwd.getpwnam("nobody")
            os.chmod(folder, 0o711)
            for root, folders, files in os.walk(self.prefix):
                for name in [root] + [os.path.join(root, f) for f in folders + files]:
                    os.chown(name, nobody.pw_uid, nobody.pw_gid)
            as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        checked = subprocess.run(command[:-2] + ["-t"], capture_output=True, text=True, **as_user)
        if checked.returncode != 0:
            fail(f"nginx -t refuses the configuration made from {args.config}:\n{checked.stderr}")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, **as_user)
        started_processes.append(self.process)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    fail(f"nginx did not start:\n{self.error_log()}")
                time.sleep(0.05)

    def error_log(self):
        try:
            with open(os.path.join(self.prefix, "error.log")) as log:
                return log.read()
        except OSError as error:
            return str(error)

    def tls(self):
        return ssl.create_default_context(cafile=self.certificate)


def get(port, path, tls=None, source="127.0.0.1", headers=None, body=None, method="GET", timeout=5):
    """One request on a fresh connection: (status, headers, body, seconds)."""
    started = time.monotonic()
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout, context=tls,
                                                 source_address=(source, 0))
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return response.status, response.getheaders(), content, time.monotonic() - started
    finally:
        connection.close()


class Dribblers:
    """`count` connections that each send a request line, then one more header line every `gap_s`
    seconds, never finishing their request ("slowloris")."""

    def __init__(self, port, count, tls=None, gap_s=0.5):
        self.sockets = []
        self.refused = 0
        for _ in range(count):
            try:
                raw = socket.create_connection(("127.0.0.1", port), timeout=2)
                s = tls.wrap_socket(raw, server_hostname="127.0.0.1") if tls else raw
                s.sendall(f"GET {SURVEY_PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
                self.sockets.append(s)
            except OSError:
                self.refused += 1
        self.closed = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._dribble, args=(gap_s,), daemon=True)
        self.thread.start()

    def _dribble(self, gap_s):
        line = 0
        while not self.stopping.wait(gap_s):
            line += 1
            for s in list(self.sockets):
                try:
                    s.sendall(b"X-Dribble-%d: x\r\n" % line)
                except OSError:
                    self.sockets.remove(s)
                    self.closed += 1

    def stop(self):
        self.stopping.set()
        self.thread.join()
        for s in self.sockets:
            s.close()


def fresh_request_times(port, tls, tries):
    times = []
    for _ in range(tries):
        status, _, body, seconds = get(port, SURVEY_PAGE, tls=tls)
        if status != 200 or b"<html" not in body:
            fail(f"a fresh request for {SURVEY_PAGE} got {status} instead of the survey page")
        times.append(seconds)
    return times


def first_answer_within(port, limit_s):
    """Tries a fresh request until one is answered: (seconds until the answer or None, failed tries)."""
    started = time.monotonic()
    failures = 0
    while time.monotonic() - started < limit_s:
        try:
            status, _, _, _ = get(port, SURVEY_PAGE, timeout=max(0.1, limit_s - (time.monotonic() - started)))
            if status == 200:
                return time.monotonic() - started, failures
        except OSError:
            pass
        failures += 1
        time.sleep(0.05)
    return None, failures


def slow_clients(args, folder):
    hosts = [Host(args, folder, "a", "127.0.0.1"), Host(args, folder, "b", "127.0.0.1")]
    nginx = Nginx(args, folder, [host.port for host in hosts])
    tls = nginx.tls()
    print(f"nginx on https://127.0.0.1:{nginx.https_port}/ in front of hosts on ports "
          f"{', '.join(str(h.port) for h in hosts)}", flush=True)

    status, headers, _, _ = get(nginx.http_port, SURVEY_PAGE)
    location = dict(headers).get("Location", "")
    if status != 301 or not location.startswith("https://") or not location.endswith(SURVEY_PAGE):
        fail(f"plain HTTP should send browsers to HTTPS (301), got {status} Location: {location!r}")
    # nginx refuses what Mindset would refuse (bodies over 64 KiB) and passes what it accepts.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _, _ = get(nginx.https_port, SURVEY_PAGE + "/responses", tls=tls, method="POST", headers=form,
                          body=b"x=" + b"a" * (MAX_BODY_BYTES - 1))
    if status != 413:
        fail(f"a body of {MAX_BODY_BYTES + 1} bytes should be refused by nginx (413), got {status}")
    status, _, body, _ = get(nginx.https_port, SURVEY_PAGE + "/responses", tls=tls, method="POST", headers=form,
                             body=b"x=" + b"a" * (MAX_BODY_BYTES - 2))
    if status != 403 or b"<html" not in body:
        fail(f"a body of {MAX_BODY_BYTES} bytes should reach Mindset (its 403 page: no CSRF token), got {status}")
    # nginx says so in its log at "warn" whenever it writes a body to a temporary file on disk.
    if "temporary file" in nginx.error_log():
        fail(f"nginx wrote a request body to a temporary file (answers would be left on disk):\n{nginx.error_log()}")
    print(f"bodies: {MAX_BODY_BYTES + 1} bytes refused by nginx (413), {MAX_BODY_BYTES} bytes passed to Mindset "
          f"from memory (no temporary file)", flush=True)

    before = fresh_request_times(nginx.https_port, tls, 3)
    print(f"fresh request through nginx, idle: {max(before):.3f} s", flush=True)

    dribblers = Dribblers(nginx.https_port, SLOW_CLIENTS, tls=tls)
    time.sleep(1.5)  # every slow client has sent more than one line
    during = fresh_request_times(nginx.https_port, tls, 5)
    still_open = len(dribblers.sockets)
    dribblers.stop()
    print(f"fresh request through nginx with {SLOW_CLIENTS} slow clients ({still_open} still open, "
          f"{dribblers.refused} refused): {min(during):.3f}-{max(during):.3f} s over {len(during)} requests",
          flush=True)
    if still_open != SLOW_CLIENTS:
        fail(f"nginx should hold all {SLOW_CLIENTS} slow clients for now (10 s header timeout), "
             f"but only {still_open} were open")
    if max(during) >= FRESH_REQUEST_LIMIT_S:
        fail(f"a fresh request took {max(during):.3f} s through nginx with {SLOW_CLIENTS} slow clients; "
             f"the limit is {FRESH_REQUEST_LIMIT_S} s")

    # The same slow clients straight at host b (a figure, not a check: this is why nginx is there).
    direct = hosts[1]
    dribblers = Dribblers(direct.port, SLOW_CLIENTS)
    time.sleep(1.5)
    waited, failures = first_answer_within(direct.port, 5.0)
    dribblers.stop()
    outcome = f"answered after {waited:.3f} s" if waited is not None else "no answer within 5 s"
    print(f"fresh request straight to a host with {SLOW_CLIENTS} slow clients ({dribblers.refused} "
          f"connections refused): {outcome}, {failures} failed tries", flush=True)

    # Host b goes away: nginx sends everything to host a.
    direct.stop()
    after = fresh_request_times(nginx.https_port, tls, 10)
    print(f"with host b stopped, 10 of 10 requests through nginx answered ({max(after):.3f} s at most)", flush=True)
    print("PASSED", flush=True)


def sign_in(port, tls, source, username, forwarded):
    """A wrong password for `username` from `source`, with the headers `forwarded`: the status."""
    status, headers, body, _ = get(port, "/login", tls=tls, source=source)
    if status != 200:
        fail(f"GET /login answered {status}")
    cookie = next((v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("mindset_csrf=")), None)
    token = re.search(rb'name="csrf" value="([^"]+)"', body)
    if not cookie or not token:
        fail("the sign-in page has no CSRF cookie or field")
    form = urllib.parse.urlencode({"csrf": token.group(1).decode(), "lang": "en", "next": "/leader",
                                   "username": username, "password": "not the password"})
    status, _, _, _ = get(port, "/login", tls=tls, source=source, method="POST", body=form,
                          headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, **forwarded})
    return status


def csrf_cookie(headers):
    return next((v for k, v in headers if k.lower() == "set-cookie" and v.startswith("mindset_csrf=")), "")


def forwarded_for(args, folder):
    host = Host(args, folder, "a", "127.0.0.1")  # nginx reaches the host from 127.0.0.1
    nginx = Nginx(args, folder, [host.port])
    tls = nginx.tls()
    # Clients come from other loopback addresses, as they would from elsewhere on the internet.
    attacker, colleague, outsider = "127.0.0.3", "127.0.0.4", "127.0.0.5"

    _, headers, _, _ = get(nginx.https_port, "/login", tls=tls, source=outsider, headers={"X-Forwarded-Proto": "http"})
    if "Secure" not in csrf_cookie(headers):
        fail(f"through nginx over TLS the cookie should be Secure: {csrf_cookie(headers)!r}")
    _, headers, _, _ = get(host.port, "/login", source=outsider, headers={"X-Forwarded-Proto": "https"})
    if "Secure" in csrf_cookie(headers):
        fail(f"X-Forwarded-Proto sent straight to the host by a client was believed: {csrf_cookie(headers)!r}")
    print("X-Forwarded-Proto: https through nginx's TLS gives Secure cookies; a client's own claim does not", flush=True)

    # 20 failures from one address lock it (auth/LoginThrottle.h), whatever usernames it tries. A
    # new forged X-Forwarded-For each time would make each attempt look like a new client.
    statuses = [sign_in(nginx.https_port, tls, attacker, f"guess{n}", {"X-Forwarded-For": f"198.51.100.{n}"})
                for n in range(1, 21)]
    if statuses != [401] * 20:
        fail(f"20 wrong passwords should each get 401, got {statuses}")
    locked = sign_in(nginx.https_port, tls, attacker, "guess21", {"X-Forwarded-For": "198.51.100.21"})
    if locked != 429:
        fail(f"the 21st failure from {attacker}, with a forged X-Forwarded-For, should be locked out (429), "
             f"got {locked}: the host believed the client's header")
    print(f"{attacker} rotating forged X-Forwarded-For through nginx: locked out after 20 failures (429)", flush=True)

    other = sign_in(nginx.https_port, tls, colleague, "someone", {})
    if other != 401:
        fail(f"another client ({colleague}) through the same nginx should not share the lock, got {other}")
    print(f"{colleague} through the same nginx: not locked (401), so the host sees each client's own address", flush=True)

    claimed = sign_in(host.port, None, outsider, "someone-else", {"X-Forwarded-For": attacker})
    if claimed != 401:
        fail(f"a client straight at the host claiming X-Forwarded-For: {attacker} should be judged by its own "
             f"address, got {claimed}")
    print(f"{outsider} straight at the host claiming to be {attacker}: ignored (401)", flush=True)
    print("PASSED", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["slow-clients", "forwarded-for"])
    parser.add_argument("--mindset", required=True)
    parser.add_argument("--config", required=True, help="the shipped nginx configuration")
    parser.add_argument("--surveys", required=True)
    args = parser.parse_args()
    args.nginx = find_program("nginx")
    args.openssl = find_program("openssl")
    missing = [name for name, path in (("nginx", args.nginx), ("openssl", args.openssl)) if not path]
    if missing:
        print(f"SKIPPED: {' and '.join(missing)} not installed (Debian: apt-get install {' '.join(missing)}; "
              f".ci/setup installs {'them' if len(missing) > 1 else 'it'})", flush=True)
        sys.exit(SKIPPED)
    folder = tempfile.mkdtemp(prefix="mindset-proxy-")
    try:
        {"slow-clients": slow_clients, "forwarded-for": forwarded_for}[args.check](args, folder)
    finally:
        stop_everything()
        if not os.environ.get("MINDSET_PROXY_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
