"""The web process as gunicorn loads it (lianxin/wsgi.py)."""

import os
import subprocess
import sys

from django.conf import settings


def python_says(code):
    """What a fresh Python process of the project prints running `code` (its last line's words)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lianxin.settings"}
    done = subprocess.run(  # noqa: S603  (our own interpreter, fixed code)
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-500:]
    return done.stdout.splitlines()[-1].split()


def test_the_web_process_freezes_what_it_loaded_at_start():
    """Everything loaded to start is out of the garbage collector's walks (no full collection of
    Django's own objects lands on a page)."""
    words = python_says("import gc, lianxin.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))")
    frozen, tracked = map(int, words)
    assert frozen > 10 * tracked  # nearly all of it: what is left is the few objects since
