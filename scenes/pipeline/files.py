"""Files the pipeline writes: per-user state folders, temporary names, atomic replaces, locks.

* **Per-user folders.** Logs live in ``platformdirs.user_state_path("convanim")/logs`` and locks
  in ``user_cache_path("convanim")/locks``: created ``0700``, refused when they belong to someone
  else, are symbolic links or are open to others (nothing is ever written into a shared folder).
  ``CONVANIM_STATE_DIR`` moves both (tests, sandboxes). Parsed text (:func:`text_cache_dir`)
  lives in ``user_cache_path("convanim")/text`` (``CONVANIM_TEXT_CACHE`` names another folder,
  or ``off``), checked the same way.
* **Random names, no symlink following.** Logs and temporary files are created with ``O_EXCL``
  and ``O_NOFOLLOW`` under random names; a temporary file is never longer than its final name
  (or 20 characters), so a legal output name never fails at the end of a render.
* **Atomic replace.** Content goes into a temporary file in the destination folder, which
  replaces the target with :func:`os.replace` only once it is complete.
* **Locks that give up.** :func:`output_lock` (``filelock``) waits at most ``timeout`` seconds
  and then raises :class:`BusyError` saying which lock is held.

Works where ``fcntl`` and ``os.getuid`` do not exist (Windows): ``filelock`` picks the platform's
lock, and ownership checks run only where the platform has owners.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from scenes.pipeline.errors import BusyError, OutputError, StateError

__all__ = [
    "state_dir",
    "text_cache_dir",
    "temp_folder_name",
    "new_log",
    "temp_name",
    "temp_glob",
    "create_temp",
    "write_atomic",
    "output_lock",
    "check_target",
    "check_name_length",
    "LOCK_TIMEOUT",
]

#: Seconds a render waits for another render of the same output before giving up.
LOCK_TIMEOUT = 600.0
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _base(kind: str) -> Path:
    override = os.environ.get("CONVANIM_STATE_DIR")
    if override:
        return Path(override)
    import platformdirs

    if kind == "locks":
        return platformdirs.user_cache_path("convanim")
    return platformdirs.user_state_path("convanim")


def _owner_ok(st: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def _secure(folder: Path) -> Path:
    """``folder`` created (0700) if missing, and checked: a real folder, ours, closed to others."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        pass  # a file (or a link to one) is there: refused below
    st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise StateError(f"convanim's state folder {folder} is not a folder (a symbolic link or "
                         "a file is there): remove it or set CONVANIM_STATE_DIR")
    if not _owner_ok(st):
        raise StateError(f"convanim's state folder {folder} belongs to another user: remove it "
                         "or set CONVANIM_STATE_DIR to a folder of your own")
    if os.name == "posix" and st.st_mode & 0o077:
        os.chmod(folder, 0o700)  # ours: close it to others before anything is written in it
    return folder


def state_dir(kind: str) -> Path:
    """The per-user folder for ``kind`` (``"logs"`` or ``"locks"``), created 0700 and checked.

    Raises
    ------
    StateError
        When the folder (or its parent) is a symbolic link, not a folder, or someone else's.
    """
    base = _base(kind)
    _secure(base)
    return _secure(base / kind)


def text_cache_dir() -> Path | None:
    """The folder of the parsed-text cache (:func:`scenes.kit.text.use_disk_cache`), or ``None``.

    ``CONVANIM_TEXT_CACHE`` names the folder (``off`` or empty: no disk cache); otherwise it is
    ``text`` in the locks' per-user cache folder (or in ``CONVANIM_STATE_DIR``). Created 0700 and
    checked like :func:`state_dir`; a folder that fails the checks gives ``None`` (text is then
    cached in memory only: a cache never stops a render).
    """
    override = os.environ.get("CONVANIM_TEXT_CACHE")
    if override is not None and override.strip().lower() in ("", "off", "0", "no", "false"):
        return None
    try:
        if override:
            return _secure(Path(override))
        base = _base("locks")
        _secure(base)
        return _secure(base / "text")
    except (OSError, StateError):
        return None


def temp_folder_name(prefix: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """A fresh random name for a temporary folder in ``folder`` (default: the system's), not
    yet created. Callers create it (``mkdir(mode=0o700)``) *inside* the ``try`` whose
    ``finally`` removes it: :func:`tempfile.mkdtemp` creates the folder before the caller can
    register its removal, so a signal in between would leave it behind."""
    import tempfile

    base = Path(folder) if folder is not None else Path(tempfile.gettempdir())
    return base / f"{prefix}{secrets.token_hex(6)}"


def new_log(stem: str) -> Path:
    """A new, empty log file ``<stem>.<random>.log`` in the logs folder (created ``O_EXCL``)."""
    folder = state_dir("logs")
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)[:60] or "render"
    for _ in range(100):
        path = folder / f"{safe}.{secrets.token_hex(6)}.log"
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
            return path
    raise StateError(f"could not create a log file in {folder}")  # pragma: no cover


def _tag(path: Path) -> str:
    return hashlib.sha256(path.name.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def temp_name(path: Path) -> str:
    """A random hidden name for a temporary file of ``path``: ``.<tag><random><suffix>``.

    ``tag`` (8 hex digits of the final name's hash) lets :func:`temp_glob` find leftovers of
    this output only; the whole name has at most ``max(len(path.name), 20)`` characters.
    """
    suffix = path.suffix if len(path.suffix) <= 8 else ""
    room = max(len(path.name), 20) - 1 - 8 - len(suffix)
    return f".{_tag(path)}{secrets.token_hex(8)[:max(room, 3)]}{suffix}"


def temp_glob(path: Path) -> list[Path]:
    """Temporary files of ``path`` in its folder (leftovers of killed renders, or in use)."""
    suffix = path.suffix if len(path.suffix) <= 8 else ""
    try:
        return sorted(p for p in path.parent.glob(f".{_tag(path)}*{suffix}")
                      if p.name != path.name)
    except OSError:
        return []


def create_temp(path: Path) -> Path:
    """Create an empty temporary file for ``path`` in its folder (``O_EXCL``, no symlinks)."""
    for _ in range(100):
        tmp = path.with_name(temp_name(path))
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY,
                             0o644))
        except FileExistsError:
            continue
        return tmp
    raise OSError(errno.EEXIST, f"no free temporary name for {path}")  # pragma: no cover


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and :func:`os.replace`."""
    tmp = create_temp(path)
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | _NOFOLLOW | _BINARY)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def output_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock for one output path, held across check, render and replace.

    Raises
    ------
    BusyError
        When another render holds it for more than ``timeout`` seconds.
    """
    import filelock

    digest = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    lock_path = state_dir("locks") / f"{digest[:24]}.lock"
    lock = filelock.FileLock(str(lock_path), timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise BusyError(
            f"another convanim render of {path} has held its lock for {timeout:g} s "
            f"(lock file {lock_path}); try again when it has finished"
        ) from None
    try:
        yield
    finally:
        lock.release()


def check_target(path: Path) -> None:
    """Refuse an output ``path`` that is not a regular file or absent (a folder, a device, a
    FIFO, a socket, a symbolic link), or whose name the file system cannot hold.

    Raises
    ------
    OutputError
        ``param="output"``, naming the path and what it is.
    """
    check_name_length(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"output={str(path)!r} is invalid: it cannot be checked "
                          f"({exc.strerror or exc})", param="output") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"output={str(path)!r} is invalid: it is a directory, not a file "
                          "(end the name with / to write into it)", param="output")
    if st is not None and not stat.S_ISREG(st.st_mode):
        kind = ("a symbolic link" if stat.S_ISLNK(st.st_mode) else
                "a FIFO" if stat.S_ISFIFO(st.st_mode) else
                "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise OutputError(f"output={str(path)!r} is invalid: it is {kind}, not a regular file; "
                          "convanim only replaces regular files", param="output")


def check_name_length(path: Path) -> None:
    """:class:`OutputError` when the file system cannot hold ``path``'s name."""
    try:
        limit = os.pathconf(path.parent if str(path.parent) else ".", "PC_NAME_MAX")
    except (AttributeError, ValueError, OSError):
        limit = 255
    size = len(os.fsencode(path.name))
    if size > limit:
        raise OutputError(f"output={str(path)!r} is invalid: its name has {size} bytes and this "
                          f"file system allows at most {limit}", param="output")
