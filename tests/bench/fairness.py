#!/usr/bin/env python3
"""Client helpers for run.sh's fairness/starvation checks (standard library only).

  fairness.py idle HOST PORT COUNT SECONDS
      Opens COUNT connections that send nothing, prints "ready" once all are connected, holds them
      up to SECONDS and then reports how long the server kept each one open.

  fairness.py dribble HOST PORT COUNT SECONDS GAP
      Opens COUNT connections that each send a request line and then one more header line every
      GAP seconds ("slowloris"), never finishing the request; prints "ready", holds them SECONDS
      and reports how many the server closed.

  fairness.py clients HOST PORT PATH COUNT SECONDS
      COUNT concurrent keep-alive clients (one thread each) GET PATH as fast as they can for
      SECONDS. Reports how many answers each client got and the longest any one request waited:
      a client that starves shows up as few (or zero) answers and a long wait, which wrk's totals hide.
"""
import http.client
import select
import socket
import statistics
import sys
import threading
import time


def idle(host, port, count, seconds):
    started = time.monotonic()
    sockets = []
    for _ in range(count):
        s = socket.create_connection((host, port), timeout=5)
        s.setblocking(False)
        sockets.append(s)
    print("ready", flush=True)
    closed_after = {}
    deadline = started + seconds
    while len(closed_after) < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        open_sockets = [s for s in sockets if s not in closed_after]
        readable, _, _ = select.select(open_sockets, [], [], remaining)
        for s in readable:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_after[s] = time.monotonic() - started
    for s in sockets:
        s.close()
    if closed_after:
        times = sorted(closed_after.values())
        print(f"IDLE {count} silent connection(s): the server closed {len(times)} of them after "
              f"{times[0]:.1f}-{times[-1]:.1f} s; {count - len(times)} still open when released at {seconds:.0f} s")
    else:
        print(f"IDLE {count} silent connection(s): all still open when released at {seconds:.0f} s")


def dribble(host, port, count, seconds, gap):
    started = time.monotonic()
    sockets = []
    for _ in range(count):
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: " + host.encode() + b"\r\n")
        sockets.append(s)
    print("ready", flush=True)
    closed_after = {}
    line = 0
    while len(closed_after) < count and time.monotonic() - started < seconds:
        time.sleep(min(gap, max(0.0, seconds - (time.monotonic() - started))))
        line += 1
        open_sockets = [s for s in sockets if s not in closed_after]
        readable, _, _ = select.select(open_sockets, [], [], 0)
        for s in open_sockets:
            try:
                if s in readable:  # an error reply or end of stream: the server stopped waiting
                    raise ConnectionResetError("the server ended the request")
                s.sendall(b"X-Dribble-%d: x\r\n" % line)
            except OSError:
                closed_after[s] = time.monotonic() - started
    for s in sockets:
        s.close()
    print(f"DRIBBLE {count} connection(s) sending one header line every {gap:.0f} s: the server closed "
          f"{len(closed_after)} of them; {count - len(closed_after)} still open when released at {seconds:.0f} s")


def clients(host, port, path, count, seconds):
    answered = [0] * count
    longest = [0.0] * count
    errors = [0] * count
    statuses = {}
    lock = threading.Lock()
    start_gate = threading.Barrier(count + 1)
    stop_at = [0.0]

    def run(index):
        connection = http.client.HTTPConnection(host, port, timeout=15)
        start_gate.wait()
        while time.monotonic() < stop_at[0]:
            began = time.monotonic()
            try:
                connection.request("GET", path)
                reply = connection.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=15)
                continue
            waited = time.monotonic() - began
            longest[index] = max(longest[index], waited)
            if 200 <= status < 400:
                answered[index] += 1
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        connection.close()

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for worker in workers:
        worker.start()
    stop_at[0] = time.monotonic() + seconds
    start_gate.wait()
    for worker in workers:
        worker.join(seconds + 20)

    worst = max(range(count), key=lambda i: longest[i])
    starving = sum(1 for n in answered if n == 0)
    status_text = ",".join(f"{s}x{n}" for s, n in sorted(statuses.items()))
    print(f"FAIRNESS clients={count} seconds={seconds:.0f} total={sum(answered)} "
          f"per_client_min={min(answered)} per_client_median={statistics.median(answered):.0f} "
          f"per_client_max={max(answered)} clients_without_answer={starving} "
          f"longest_wait_ms={longest[worst] * 1000:.0f} errors={sum(errors)} statuses={status_text or 'none'}")


def main(argv):
    if len(argv) == 6 and argv[1] == "idle":
        idle(argv[2], int(argv[3]), int(argv[4]), float(argv[5]))
    elif len(argv) == 7 and argv[1] == "dribble":
        dribble(argv[2], int(argv[3]), int(argv[4]), float(argv[5]), float(argv[6]))
    elif len(argv) == 7 and argv[1] == "clients":
        clients(argv[2], int(argv[3]), argv[4], int(argv[5]), float(argv[6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
