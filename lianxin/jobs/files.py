"""Where a job's file lives: `jobs/<job id>/` of the private storage (no URL serves it).

A job writes its file under a temporary name in its own folder (`.<name>.part`) and gives it its
real name by a rename only once it is complete, so a file with the real name is always whole; a
worker killed mid-way leaves at most the `.part`, which `remove_files` clears with the job's
failure. A storage that is not a file system (an object store) gets the finished file in one
upload instead, from an anonymous temporary file.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from django.core.files import File

from lianxin.storage import private_storage


def folder(job_id):
    return f"jobs/{job_id}"


def _local_folder(job_id):
    """The job's folder on disk, or None when the private storage is not a file system."""
    try:
        return Path(private_storage().path(folder(job_id)))
    except NotImplementedError:
        return None


def part_name(name):
    return f".{name}.part"


def open_part(job_id, name):
    """A binary file to write the job's `name` into, under its temporary name."""
    local = _local_folder(job_id)
    if local is None:
        return tempfile.TemporaryFile()
    local.mkdir(parents=True, exist_ok=True)
    return open(local / part_name(name), "w+b")  # noqa: SIM115  (closed by the runner)


def publish(job_id, name, output):
    """Give the complete file its real name; returns its name in the storage. The data reach the
    disk before the rename, so that after a crash the real name never points at a partial file."""
    output.flush()
    local = _local_folder(job_id)
    if local is None:
        output.seek(0)
        return private_storage().save(f"{folder(job_id)}/{name}", File(output))
    os.fsync(output.fileno())
    os.replace(local / part_name(name), local / name)
    return f"{folder(job_id)}/{name}"


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
