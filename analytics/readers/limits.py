"""Size bounds for uploaded activity files (the bound itself is ``foulee.limits.MAX_UPLOAD_MB``).

The same bound applies to the output of gzip, so that a small "zip bomb"
cannot expand into gigabytes in memory.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import Final

from analytics.readers.errors import ActivityFileError
from foulee import limits

MAX_FILE_BYTES: Final = limits.MAX_UPLOAD_MB * limits.BYTES_PER_MB

GZIP_MAGIC: Final = b"\x1f\x8b"
_CHUNK_BYTES: Final = 1024 * 1024


def is_gzip(data: bytes) -> bool:
    return data[:2] == GZIP_MAGIC


def gunzip_bounded(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Decompress ``data`` in chunks, refusing output larger than ``max_bytes``.

    ``gzip.decompress`` would materialise the whole output before we could
    check its size; reading chunk by chunk stops as soon as the bound is
    crossed, so memory stays within ``max_bytes`` plus one chunk.
    """
    output = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                output += chunk
                if len(output) > max_bytes:
                    raise ActivityFileError("decompressed size over the limit")
    except (OSError, EOFError, zlib.error) as error:
        raise ActivityFileError("corrupt gzip file") from error
    return bytes(output)
