"""Writing an output file the one safe way, for every verb and export that writes to disk.

A regular file (or a path not there yet) is replaced atomically: the bytes go
to a temporary file beside it (unnamed until whole where the kernel allows),
are synced, and take the target's name in one rename, so a reader never sees
half a file; what a killed writer left is swept by the next write into that
folder (see `_sweep`). Anything
else (a character device such as `/dev/null`, a pipe, a FIFO, a socket,
process substitution) is written in place, because renaming
over it would replace the device with a plain file. A symlink is followed and
stays a symlink. An existing file keeps its permissions; a new one gets the
user's umask. `-` is standard output.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from pathlib import Path

from planner.core.errors import PlannerError

STDOUT = "-"
TMP_SUFFIX = ".planner-tmp"


class OutputError(PlannerError):
    """The output cannot be written; nothing was changed at the target."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refused(target: str | Path, err: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write ({err.strerror or err})")


def _linked_tmpfile(folder: Path, data: bytes, mode: int, name: Path) -> bool:
    """Write into an unnamed file (O_TMPFILE) and give it `name` only when whole; False where unsupported.

    A writer killed before the link leaves nothing on disk at all.
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return False
    try:
        fd = os.open(folder, flag | os.O_WRONLY, 0o600)
    except OSError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())
        try:
            os.link(f"/proc/self/fd/{handle.fileno()}", name, follow_symlinks=True)
        except OSError:  # some kernels and sandboxes refuse linking /proc/self/fd
            return False
    return True


def _named_tmpfile(name: Path, data: bytes, mode: int) -> None:
    with open(name, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())


def _gone(pid: str) -> bool:
    """True when no process `pid` runs here (its temporary file can only be a leftover)."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (ValueError, OSError):  # not a number; or it runs as another user
        return False
    return False


def _sweep(folder: Path, target: str) -> None:
    """Remove what killed writers left: any earlier temporary file of `target`, and those of other
    targets whose writer is gone (stamped names such as backups never repeat a target)."""
    for stale in folder.glob(f".*{TMP_SUFFIX}"):
        writer = stale.name.removesuffix(TMP_SUFFIX).split(".")[-2]
        if stale.name.startswith(f".{target}.") or _gone(writer):
            with contextlib.suppress(OSError):
                stale.unlink()


def _replace(path: Path, data: bytes) -> None:
    """Write `data` beside `path`, sync it, and rename it over `path` in one step."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    _sweep(path.parent, path.name)
    name = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        if not _linked_tmpfile(path.parent, data, mode, name):
            _named_tmpfile(name, data, mode)
        os.replace(name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
    with contextlib.suppress(OSError):  # the rename itself survives a crash once the folder is synced
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def write_new(target: Path, data: bytes, mode: int = 0o600) -> bool:
    """Create `target` whole with `mode` (a key file: 0600 from its first byte), unless it exists.

    Atomic and exclusive: the bytes are written under a temporary name and
    linked to `target`, which fails when another writer was first. True when
    this call created it; False when it was there already.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    name = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)  # never readable by others
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(name, target)
        except FileExistsError:
            return False
    except OSError as err:
        raise _refused(target, err) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
    return True


def write_output(target: str | Path, data: bytes | str) -> None:
    """Write `data` (text is UTF-8) to `target`, or to standard output for `-`; raises OutputError."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if str(target) == STDOUT:
        if hasattr(sys.stdout, "buffer"):
            sys.stdout.buffer.write(payload)
        else:  # a test's captured text stream
            sys.stdout.write(payload.decode("utf-8"))
        sys.stdout.flush()
        return
    try:
        info = os.stat(target)  # follows symlinks
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise _refused(target, err) from None
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise OutputError(f"{target}: is a folder; give a file name")
            with open(target, "wb") as handle:  # a device, pipe or socket: in place, never renamed over
                handle.write(payload)
            return
        _replace(Path(os.path.realpath(target)), payload)
    except OSError as err:
        raise _refused(target, err) from None
