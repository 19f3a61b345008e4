"""Timing, queries, memory and the CPU check of the benchmark."""

import gc
import statistics
import threading
import time
import tracemalloc
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(fn, *, runs=15, warmup=2, queries=True, memory=True):
    """Median and p95 of `runs` timed calls, the queries of one call, and the peak memory of one
    more call traced separately (tracemalloc slows Python code several times: never while timing)."""
    for _ in range(warmup):
        fn()
    query_count = None
    if queries:
        with CaptureQueriesContext(connection) as ctx:
            fn()
        query_count = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    peak = None
    if memory:
        tracemalloc.start()
        fn()
        peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return {**timing(times), "queries": query_count, "peak_mb": peak}


def timing(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"median_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2)}


def measure_rounds(fns, *, runs, warmup=5):
    """Several operations timed in rounds — one call of each per round — so that a slow minute of
    this shared machine falls on all of them alike instead of on whichever ran then. Queries and
    memory as in `measure`."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    # As the web process freezes what it loaded (lianxin/wsgi.py), the bench freezes what it has
    # built by now: a full collection of its own data must not land on the page being timed.
    gc.freeze()
    times = {label: [] for label in fns}
    try:
        for _ in range(runs):
            for label, fn in fns.items():
                start = time.perf_counter()
                fn()
                times[label].append((time.perf_counter() - start) * 1000)
    finally:
        gc.unfreeze()
    return {label: {**measure(fn, runs=1, warmup=0), **timing(times[label])} for label, fn in fns.items()}


def cpu_check():
    """Seconds for a fixed pure-Python loop: this machine's speed varies by a quarter from one
    minute to the next (a shared VM), so the table says how fast it was while it ran."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i * i
    return round(time.perf_counter() - start, 3)


def rss_mb(pid="self"):
    """Resident memory of a process now (MB), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class PeakRSS:
    """The highest resident memory of some processes while the block runs, sampled every 50 ms:
    `with PeakRSS(self=None, worker=pid) as peak: …; peak.mb["worker"]`."""

    def __init__(self, **pids):
        self.pids = {name: ("self" if pid is None else pid) for name, pid in pids.items()}
        self.mb = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.wait(0.05):
            self.sample()

    def sample(self):
        for name, pid in self.pids.items():
            self.mb[name] = max(self.mb[name], rss_mb(pid) or 0.0)

    def __enter__(self):
        self.sample()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()
