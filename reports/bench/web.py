"""A real web server beside the worker: gunicorn (the production server, one sync worker) serves
lianxin on loopback, the bench's pages are fetched from it over HTTP as the bench's users, and
its worker's resident memory is what "the web process during an export" means — not the bench's
own process, which has built the data, computed the snapshots and the 统计表 by then."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.test import Client

from reports.bench.pages import PAGES, PERSONAS, case_paths

HOST = "localhost"  # in ALLOWED_HOSTS below


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, process, port):
        self.process, self.port = process, port

    @property
    def worker_pid(self):
        """The gunicorn worker answering the requests (the master only watches it)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0]) if children else self.process.pid

    def get(self, path, session):
        request = urllib.request.Request(  # noqa: S310  (loopback, our own server)
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Host": HOST, "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
            return response.status


@contextmanager
def server():
    """gunicorn on a free loopback port with the bench's database, until the block ends."""
    port = _free_port()
    env = {**os.environ, "ALLOWED_HOSTS": f"{HOST},127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    command = [sys.executable, "-m", "gunicorn", "lianxin.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300", "--log-level", "warning"]
    process = subprocess.Popen(  # noqa: S603  (fixed arguments)
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):  # up to a minute to import Django and bind
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield Server(process, port)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _session(user):
    client = Client()
    client.force_login(user)  # a session row in the database the server reads too
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def page_calls(srv, users):
    """{operation: call} for every page of every tier, fetched from the server; each answered 200
    once (which also warms the server) or is left out."""
    sessions = {username: _session(users[username]) for _tier, username in PERSONAS}
    paths = {f"{label}（{tier}）": (path, username) for label, path in PAGES for tier, username in PERSONAS}
    paths.update(case_paths(users))
    calls = {}
    for operation, (path, username) in paths.items():
        if srv.get(path, sessions[username]) == 200:
            calls[operation] = lambda p=path, s=sessions[username]: srv.get(p, s)
    return calls
