"""Where an uploaded 花名册 waits between preview and confirm: one folder per preview in the configured
IMPORT_DIR (never under a served path), holding the upload under a fixed name — or, when the preview
found errors, only the rejected-rows report. A folder is removed on confirm, replaced by the user's
next upload, and expires after IMPORT_KEEP_MINUTES: every upload clears the expired ones, and so does
`manage.py clean_imports` (for a cron)."""

import re
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings

REJECTED = "rejected.xlsx"
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def root():
    return Path(settings.LIANXIN["IMPORT_DIR"])


def upload_name(filename):
    """The upload's name on disk: fixed, whatever the user's file was called."""
    return "upload.csv" if filename.lower().endswith(".csv") else "upload.xlsx"


def new_folder():
    token = secrets.token_urlsafe(16)
    folder = root() / token
    folder.mkdir(parents=True)
    return token, folder


def folder(token):
    """The folder of a preview, or None for anything that is not one of our tokens."""
    return root() / token if TOKEN.fullmatch(token or "") else None


def remove(token):
    path = folder(token)
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)


def touch(token):
    """Start the folder's keep time again (a confirmed import waiting for the worker)."""
    path = folder(token)
    if path is not None and path.is_dir():
        path.touch()


def clean_expired(now=None):
    """Remove the previews older than IMPORT_KEEP_MINUTES; returns how many."""
    if not root().is_dir():
        return 0
    deadline = (now or time.time()) - settings.LIANXIN["IMPORT_KEEP_MINUTES"] * 60
    removed = 0
    for path in root().iterdir():
        try:
            expired = path.stat().st_mtime < deadline
        except FileNotFoundError:  # removed meanwhile by another worker
            continue
        if expired and path.is_dir() and TOKEN.fullmatch(path.name):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed
