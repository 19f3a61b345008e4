"""Where a job's file lives: `jobs/<job id>/` of the private storage (no URL serves it)."""

import contextlib
import os

from lianxin.storage import private_storage


def folder(job_id):
    return f"jobs/{job_id}"


def save_file(job_id, name, content):
    return private_storage().save(f"{folder(job_id)}/{name}", content)


def remove_files(job_id):
    """Delete everything under the job's folder: its file, or the part a dead worker left."""
    storage = private_storage()
    try:
        _dirs, files = storage.listdir(folder(job_id))
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{folder(job_id)}/{name}")
    with contextlib.suppress(NotImplementedError, OSError):  # on a file system, the empty folder too
        os.rmdir(storage.path(folder(job_id)))
