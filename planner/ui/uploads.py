"""Uploads are refused above a small size in code as well as by `server.maxUploadSize`, which a
deployment may change."""

from __future__ import annotations

from typing import Protocol

from planner.core.errors import UploadTooLarge

MAX_UPLOAD_BYTES = 1_000_000


class Upload(Protocol):
    size: int

    def getvalue(self) -> bytes: ...


def read_upload(upload: Upload, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded bytes, or UploadTooLarge; the declared size is checked before the bytes."""
    if upload.size > limit:
        raise UploadTooLarge(f"The file is {upload.size // 1000} kB; the limit is {limit // 1000} kB.")
    data = upload.getvalue()
    if len(data) > limit:
        raise UploadTooLarge(f"The file is {len(data) // 1000} kB; the limit is {limit // 1000} kB.")
    return data
