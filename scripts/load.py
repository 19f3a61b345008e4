"""A bounded load test: N simultaneous users doing the daily work against a running server.

    DATABASE_URL=... .venv/bin/python scripts/load.py --base http://127.0.0.1:8765 --users 50 --seconds 300

Run by scripts/load.sh (`make load`), which starts PostgreSQL and gunicorn on loopback first.
Half of the users are branch secretaries (工作台, member list, a case, logging a search attempt,
revealing a phone number), the other half approvers at committees and the county (工作台, the
inbox, a disposition, the 统计表 page, revealing a number). Each user logs in through the real
login form. The script stops by itself after --seconds, then counts the rows its writes should
have produced: a successful write that is not in the database is a lost write.

Only the standard library is used for HTTP, so what is measured is the server, through real
sockets; Django is set up here only to prepare users and to count rows before and after.
"""

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import unicodedata
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

import load_plan  # noqa: E402  (scripts/load_plan.py)
from django.urls import reverse  # noqa: E402

PASSWORD = "lianxin-load-test-password"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Stats:
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    writes: dict = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, action, seconds, ok, write_kind=None):
        with self.lock:
            self.latencies[action].append(seconds)
            if not ok:
                self.errors[action] += 1
            elif write_kind:
                self.writes[write_kind] += 1


class Browser:
    """One user's session: cookies, CSRF token, a keep-alive connection."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method, path, data=None):
        headers = {
            # gunicorn runs behind "a proxy" that terminated TLS: Django then treats the request as
            # secure, so the production cookie and CSRF settings apply unchanged.
            "X-Forwarded-Proto": "https",
            "Host": f"{self.host}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data, doseq=True)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError):
                # a worker recycled its keep-alive socket: reconnect once
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def login(self, username):
        path = reverse("login")
        self.request("GET", path)
        status, location, text = self.request("POST", path, {"username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status} {text[:300]}")


def run_user(base, persona, deadline, stats, rng):
    browser = Browser(base)
    browser.login(persona.username)
    while time.monotonic() < deadline:
        action = rng.choice(persona.actions)
        method, path, data, write_kind, success = action.make(rng)
        started = time.perf_counter()
        try:
            status, location, body = browser.request(method, path, data)
            ok = status == success
            if os.environ.get("LOAD_DEBUG") and method == "POST":
                print(
                    "  POST",
                    path,
                    status,
                    location,
                    re.findall(r"errorlist\">([^<]*)", body)[:3],
                    file=sys.stderr,
                )
        except Exception as exc:  # a network failure is an error of the run, not of the script
            print(f"  {persona.username} {action.name}: {exc!r}", file=sys.stderr)
            ok = False
        stats.record(action.name, time.perf_counter() - started, ok, write_kind if ok else None)
        time.sleep(rng.uniform(0.0, 0.2))  # think time: people click, they do not hammer


def pad(text, width):
    """Left-align in a terminal column: CJK characters take two cells."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cells)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def print_table(stats, seconds):
    print()
    print(f"{'operation':<28}{'requests':>10}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    total = errors = 0
    for name in sorted(stats.latencies):
        values = stats.latencies[name]
        total += len(values)
        errors += stats.errors[name]
        print(
            f"{pad(name, 28)}{len(values):>10}{stats.errors[name]:>8}"
            f"{statistics.median(values) * 1000:>11.1f}{percentile(values, 0.95) * 1000:>9.1f}"
            f"{max(values) * 1000:>9.1f}"
        )
    print(f"{'total':<28}{total:>10}{errors:>8}   ({total / seconds:.1f} requests/s)")
    return total, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    args = parser.parse_args()

    personas = load_plan.prepare(users=args.users, password=PASSWORD)
    before = load_plan.count_writes()
    stats = Stats()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=run_user, args=(args.base, p, deadline, stats, random.Random(i)), daemon=True)
        for i, p in enumerate(personas)
    ]
    print(f"{len(threads)} users for {args.seconds} s against {args.base} …")
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.seconds + 120)
    total, errors = print_table(stats, args.seconds)

    after = load_plan.count_writes()
    lost = 0
    print()
    print(f"{'write':<28}{'accepted':>10}{'in database':>13}")
    for kind in sorted(set(before) | set(stats.writes)):
        stored = after.get(kind, 0) - before.get(kind, 0)
        accepted = stats.writes.get(kind, 0)
        lost += max(0, accepted - stored)
        print(f"{pad(kind, 28)}{accepted:>10}{stored:>13}")
    print()
    print(f"errors: {errors}; lost writes: {lost}")
    sys.exit(0 if errors == 0 and lost == 0 and total > 0 else 1)


if __name__ == "__main__":
    main()
