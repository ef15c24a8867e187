"""Atomic outputs: write beside the target, then rename into place only on success.

Every writer of evacmap (HTML, GeoJSON, GeoPackage, FlatGeobuf, CSV, pictures) goes
through :func:`atomic_output`, so a failure half-way — a bad value, a full disk, an
interrupted run — leaves the previous file exactly as it was, and a reader never sees
a half-written one.

Examples
--------
>>> import pathlib, tempfile
>>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = out.write_text("good")
>>> try:
...     with atomic_output(out) as tmp:
...         _ = tmp.write_text("half")
...         raise RuntimeError("the writer failed")
... except RuntimeError:
...     pass
>>> out.read_text(), sorted(p.name for p in out.parent.iterdir())
('good', ['a.txt'])
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from evacmap.errors import ExportError

__all__ = ["atomic_output", "write_bytes_atomic", "write_text_atomic"]


def _sidecars(tmp: Path) -> list[Path]:
    """Files a driver may leave next to a temporary file (SQLite journals, indexes)."""
    return [tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm")]


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside `path` that replaces `path` when the block succeeds.

    The temporary file is not created: the writer creates it (so it gets the usual
    permissions), in the same folder as `path` (so the final rename is atomic) and
    with the same extension (so drivers that choose a format by extension work). On
    any exception it is removed and `path` is left untouched.

    Parameters
    ----------
    path
        The file to write. Its folder is created when missing.

    Yields
    ------
    pathlib.Path
        Where to write.

    Raises
    ------
    ExportError
        When the folder cannot be created or the file cannot be moved into place.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"cannot create the folder {str(target.parent)!r}: {exc.strerror or exc}",
            hint="check the output path and that you may write there",
        ) from exc
    if target.is_dir():
        raise ExportError(
            f"{str(target)!r} is a folder", hint="give a file name, e.g. out/map.html"
        )
    tmp = target.with_name(f".{target.stem}.{secrets.token_hex(6)}.tmp{target.suffix}")
    try:
        yield tmp
        os.replace(tmp, target)
    except ExportError:
        raise
    except OSError as exc:
        raise ExportError(
            f"cannot write {str(target)!r}: {exc.strerror or exc}",
            hint="check that the folder exists, is writable and has free space",
        ) from exc
    finally:
        for leftover in (tmp, *_sidecars(tmp)):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError:  # pragma: no cover - nothing more can be done
                pass


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically (see :func:`atomic_output`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = write_bytes_atomic(pathlib.Path(tempfile.mkdtemp()) / "x.bin", b"ok")
    >>> p.read_bytes()
    b'ok'
    """
    target = Path(path)
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` as UTF-8 to `path` atomically (see :func:`atomic_output`).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = write_text_atomic(pathlib.Path(tempfile.mkdtemp()) / "x.txt", "é")
    >>> p.read_bytes()
    b'\\xc3\\xa9'
    """
    return write_bytes_atomic(path, text.encode("utf-8"))
