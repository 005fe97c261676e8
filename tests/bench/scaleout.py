#!/usr/bin/env python3
"""Benchmark of the scale-out setups (issue 13), not a test: it prints figures and asserts only that
its own tools work and that every response a setup said it stored is in its database.

  1. durable submissions/s and latency at N connections (wrk posting one complete response per
     request, each with its own access code, so the open link's padding guard plays no part):
       - one host on SQLite,
       - one host on PostgreSQL,
       - two hosts on one PostgreSQL behind the shipped nginx configuration (TLS);
  2. the district profile of COUNT responses read from PostgreSQL beside SQLite
     (mindset_bench_profile --database).

PostgreSQL is the throwaway server of tests/support/throwaway-postgres.sh (started and stopped
here, fsync on as in production unless --no-fsync). Needs wrk, nginx, openssl, psql, sqlite3.

usage: scaleout.py --mindset BIN --profile-bench BIN [--duration S] [--connections N]
                   [--profile-count N] [--skip-profile]
or:    cmake --build build --target bench-scaleout
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "proxy"))
import proxy_test  # noqa: E402  (its Nginx class runs the shipped configuration on free ports)

SURVEY = "riverside-2026"
WRK_THREADS = 2


def fail(message):
    print(f"scaleout.py: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        fail(f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def host(args, folder, name, store_options):
    """`mindset serve` on a free port (tests/proxy/proxy_test.py's Host), trusting the local nginx."""
    return proxy_test.Host(args, folder, name, "127.0.0.1", args.surveys_folder, store_options)


def issue_codes(args, survey, store_options, count, path):
    """`count` fresh codes over the survey's schools, written as "CODE SCHOOL" lines."""
    schools = [school["id"] for school in survey["schools"]]
    lines = []
    per_call = 10000  # mindset codes issue's limit
    while len(lines) < count:
        school = schools[len(lines) // per_call % len(schools)]
        wanted = min(per_call, count - len(lines))
        out = run([args.mindset, "codes", "issue", "--survey", SURVEY, "--school", school, "--count", str(wanted),
                   "--format", "csv", "--surveys", args.surveys_folder] + store_options)
        for row in csv.DictReader(out.splitlines()):
            lines.append(f"{row['code']} {row['school_id']}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def wrk(args, url, codes_file, label):
    env = dict(os.environ, MINDSET_BENCH_FIELDS=args.fields, MINDSET_BENCH_CODES=codes_file,
               MINDSET_BENCH_THREADS=str(WRK_THREADS))
    result = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s", "--latency",
         "-s", os.path.join(HERE, "submit.lua"), url], capture_output=True, text=True, env=env)
    bench = re.search(r"^BENCH (.*)$", result.stdout, re.M)
    submit = re.search(r"^SUBMIT sent=(\d+) got303=(\d+) non303=(\d+) statuses=(\S+)", result.stdout, re.M)
    if not bench or not submit:
        fail(f"wrk ({label}) printed no summary:\n{result.stdout}{result.stderr}")
    figures = dict(item.split("=") for item in bench.group(1).split())
    problem = re.search(r"^SUBMIT first non-303 reply: (.*)$", result.stdout, re.M)
    return {
        "stored_rps": int(submit.group(2)) / float(figures["seconds"]),
        "p50_ms": int(figures["p50_us"]) / 1000,
        "p99_ms": int(figures["p99_us"]) / 1000,
        "max_ms": int(figures["max_us"]) / 1000,
        "got303": int(submit.group(2)),
        "other": submit.group(4),
        "errors": {k: figures[k] for k in ("connect", "read", "write", "timeout") if figures[k] != "0"},
        "problem": problem.group(1) if problem else None,
    }


def stored_on_sqlite(data_dir):
    return int(run(["sqlite3", "-cmd", ".timeout 5000", os.path.join(data_dir, "mindset.sqlite"), "select count(*) from responses"]).strip())


def stored_on_postgres(uri):
    return int(run(["psql", "-X", "-q", "-t", "-A", uri, "-c", "SELECT COUNT(*) FROM responses"]).strip())


def new_database(server, name):
    run(["psql", "-X", "-q", server, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
    run(["psql", "-X", "-q", server, "-c", f"CREATE DATABASE {name}"])
    return server.rsplit("/", 1)[0] + "/" + name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mindset", default=os.path.join(REPO, "build", "bin", "mindset"))
    parser.add_argument("--profile-bench", default=os.path.join(REPO, "build", "bin", "mindset_bench_profile"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--profile-count", type=int, default=1000000)
    parser.add_argument("--skip-profile", action="store_true")
    parser.add_argument("--no-fsync", action="store_true", help="PostgreSQL without fsync (as the tests run it)")
    args = parser.parse_args()
    for tool in ("wrk", "psql", "sqlite3"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (apt-get install wrk postgresql-client-15 sqlite3)")
    args.nginx = proxy_test.find_program("nginx")
    args.openssl = proxy_test.find_program("openssl")
    args.config = os.path.join(REPO, "docs", "deploy", "nginx", "mindset.conf")
    if not args.nginx or not args.openssl:
        fail("nginx and openssl are needed for the two-host setup")

    folder = tempfile.mkdtemp(prefix="mindset-scaleout.")
    pg_state = os.path.join(folder, "postgres")
    try:
        # The throwaway server turns fsync off for tests; a benchmark of durable submissions keeps it on.
        env = dict(os.environ, MINDSET_POSTGRES_DURABLE="0" if args.no_fsync else "1")
        started = run(["bash", os.path.join(REPO, "tests", "support", "throwaway-postgres.sh"), "start", pg_state], env=env)
        print(started.strip())
        with open(os.path.join(pg_state, "uri")) as f:
            server = f.read().strip()
        durability = run(["psql", "-X", "-q", "-t", "-A", server, "-c", "SELECT current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')"])
        print("PostgreSQL fsync", durability.strip())

        args.surveys_folder = os.path.join(folder, "surveys")
        os.mkdir(args.surveys_folder)
        with open(os.path.join(REPO, "surveys", f"{SURVEY}.json")) as f:
            survey = json.load(f)
        survey["access"] = "codes"
        with open(os.path.join(args.surveys_folder, f"{SURVEY}.json"), "w") as f:
            json.dump(survey, f, ensure_ascii=False)
        args.fields = os.path.join(folder, "fields.lua")
        run([sys.executable, os.path.join(HERE, "submission_fields.py"), os.path.join(args.surveys_folder, f"{SURVEY}.json"),
             os.path.join(REPO, "plugins"), args.fields])
        codes_needed = args.duration * 4000

        rows = []
        # 1. SQLite, one host.
        sqlite_dir = os.path.join(folder, "data-sqlite")
        issue_codes(args, survey, ["--data-dir", sqlite_dir], codes_needed, os.path.join(folder, "codes-sqlite"))
        server_host = host(args, folder, "sqlite", [])  # its data folder is data-sqlite
        result = wrk(args, f"http://127.0.0.1:{server_host.port}/surveys/{SURVEY}/responses", os.path.join(folder, "codes-sqlite"), "sqlite")
        rows.append(("SQLite, one host", result, stored_on_sqlite(sqlite_dir)))
        server_host.stop()

        # 2. PostgreSQL, one host.
        one = new_database(server, "bench_one_host")
        issue_codes(args, survey, ["--database", one], codes_needed, os.path.join(folder, "codes-one"))
        server_host = host(args, folder, "pg-one", ["--database", one])
        result = wrk(args, f"http://127.0.0.1:{server_host.port}/surveys/{SURVEY}/responses", os.path.join(folder, "codes-one"), "postgresql")
        rows.append(("PostgreSQL, one host", result, stored_on_postgres(one)))
        server_host.stop()

        # 3. PostgreSQL, two hosts behind nginx (TLS).
        two = new_database(server, "bench_two_hosts")
        issue_codes(args, survey, ["--database", two], codes_needed, os.path.join(folder, "codes-two"))
        hosts = [host(args, folder, f"pg-{name}", ["--database", two]) for name in ("a", "b")]
        nginx = proxy_test.Nginx(args, folder, [h.port for h in hosts])
        result = wrk(args, f"https://127.0.0.1:{nginx.https_port}/surveys/{SURVEY}/responses", os.path.join(folder, "codes-two"), "nginx")
        rows.append(("PostgreSQL, two hosts behind nginx", result, stored_on_postgres(two)))

        print(f"\ndurable submissions, {args.connections} connections, {args.duration} s each, one access code per response"
              f" ({os.cpu_count()} CPUs shared by wrk, nginx, the hosts and PostgreSQL)")
        print(f"{'setup':36} {'stored/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'303s':>7} {'in db':>7}  other")
        for label, r, in_db in rows:
            print(f"{label:36} {r['stored_rps']:9.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['max_ms']:8.1f} {r['got303']:7d} {in_db:7d}"
                  f"  {r['other']}{' errors ' + str(r['errors']) if r['errors'] else ''}")
            if r["problem"]:
                print(f"    first refusal: {r['problem']}")
            if in_db < r["got303"]:
                fail(f"{label}: {r['got303']} submissions were answered 303 but only {in_db} are stored")

        print("two hosts behind nginx: the shipped configuration sends each client address to one host (hash), and wrk is one\n"
              "  address, so this row is one host through nginx and TLS; many addresses spread over both hosts.")
        if not args.skip_profile:
            print(f"\nthe district profile of {args.profile_count} responses, SQLite beside PostgreSQL:", flush=True)
            subprocess.run([args.profile_bench, "--runs", "3", "--database", server, str(args.profile_count)], check=True)
    finally:
        proxy_test.stop_everything()
        subprocess.run(["bash", os.path.join(REPO, "tests", "support", "throwaway-postgres.sh"), "stop", pg_state], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
