#!/usr/bin/env python3
"""Open-loop mixed traffic at a fixed rate against a Tollgate gateway, for the soak (run.sh drives it).

Every 1/RATE seconds one operation is due, whatever the previous ones did (no coordinated omission: latency is
measured from the moment an operation was due, so a stall shows up in the figures instead of slowing the load).
Operations, drawn at random: 90 % an API call with a session's access token, 9 % a refresh of that session (its
tokens replaced by the answer), 1 % a logout of that session and a login in its place. A session serves one
operation at a time, so a refresh token is never sent twice on purpose; any answer other than the expected one
(API 200, refresh 200, logout 204, login 200) is counted as unexpected and its first lines are kept.

Writes one JSON line per minute to stdout: minute, requests per operation, unexpected statuses, latency
percentiles (ms), and the share of operations that started late (worker pool saturated).
"""
import argparse
import http.client
import json
import queue
import random
import sys
import threading
import time

EXPECTED = {"api": 200, "refresh": 200, "logout": 204, "login": 200}


class Session:
    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.access = None
        self.refresh = None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.counts = {}
        self.unexpected = {}
        self.latencies = []
        self.late = 0

    def add(self, op, status, latency_ms, late):
        with self.lock:
            self.counts[op] = self.counts.get(op, 0) + 1
            if status != EXPECTED[op]:
                key = f"{op}:{status}"
                self.unexpected[key] = self.unexpected.get(key, 0) + 1
            self.latencies.append(latency_ms)
            if late:
                self.late += 1

    def snapshot(self):
        with self.lock:
            counts, unexpected, latencies, late = self.counts, self.unexpected, self.latencies, self.late
            self.reset()
        latencies.sort()

        def pct(p):
            return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2) if latencies else None

        return {"requests": counts, "unexpected": unexpected, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
                "p999_ms": pct(0.999), "max_ms": round(latencies[-1], 2) if latencies else None,
                "late": late, "total": len(latencies)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--duration", type=int, default=600)
    parser.add_argument("--sessions", type=int, default=64)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    local = threading.local()
    errors = []

    def connection():
        if getattr(local, "conn", None) is None:
            local.conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        return local.conn

    def call(method, path, body=None, token=None):
        headers = {"User-Agent": "tollgate-soak"}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        for attempt in (0, 1):
            try:
                conn = connection()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    local.conn = None
                return response.status, data
            except (ConnectionError, http.client.HTTPException) as ex:
                # the server closed an idle keep-alive connection: one retry on a new one, then it counts
                local.conn = None
                if attempt == 1:
                    return 599, str(ex).encode()
            except OSError as ex:
                local.conn = None
                return 599, str(ex).encode()
        return 599, b""

    def login(session):
        status, data = call("POST", "/auth/login", {"username": session.name, "password": "soak"})
        if status == 200:
            tokens = json.loads(data)
            session.access, session.refresh = tokens["accessToken"], tokens["refreshToken"]
        return status, data

    sessions = [Session(f"soak-{i}") for i in range(args.sessions)]
    for session in sessions:
        status, data = login(session)
        if status != 200:
            print(f"initial login failed: {status} {data[:200]!r}", file=sys.stderr)
            sys.exit(1)

    stats = Stats()
    jobs = queue.Queue()

    def run(op, session):
        if op == "api":
            status, data = call("GET", "/api/orders", token=session.access)
            return [("api", status, data)]
        if op == "refresh":
            status, data = call("POST", "/auth/refresh", {"refreshToken": session.refresh})
            if status == 200:
                tokens = json.loads(data)
                session.access, session.refresh = tokens["accessToken"], tokens["refreshToken"]
            return [("refresh", status, data)]
        status, data = call("POST", "/auth/logout", {"refreshToken": session.refresh})
        results = [("logout", status, data)]
        status, data = login(session)
        return results + [("login", status, data)]

    def worker():
        while True:
            job = jobs.get()
            if job is None:
                return
            due, op, session = job
            late = time.monotonic() - due > 0.05
            with session.lock:
                for name, status, data in run(op, session):
                    now = time.monotonic()
                    stats.add(name, status, (now - due) * 1000, late)
                    if status != EXPECTED[name] and len(errors) < 20:
                        errors.append(f"{name} {status} {data[:300]!r}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    for thread in threads:
        thread.start()

    interval = 1.0 / args.rate
    start = time.monotonic()
    next_due = start
    next_report = start + 60
    minute = 0
    while next_due < start + args.duration:
        now = time.monotonic()
        if now >= next_report and next_report < start + args.duration:
            # the last minute is reported after the pool has drained, with every operation that was due in it
            minute += 1
            print(json.dumps({"minute": minute, **stats.snapshot()}), flush=True)
            next_report += 60
        if next_due > now:
            time.sleep(min(next_due - now, 0.01))
            continue
        r = rng.random()
        op = "api" if r < 0.90 else ("refresh" if r < 0.99 else "logout+login")
        jobs.put((next_due, op, rng.choice(sessions)))
        next_due += interval
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(timeout=30)
    minute += 1
    print(json.dumps({"minute": minute, **stats.snapshot()}), flush=True)
    for error in errors:
        print("unexpected: " + error, file=sys.stderr)


if __name__ == "__main__":
    main()
