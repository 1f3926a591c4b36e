"""Framing between the caller and Blender workers: a JSON header plus raw numpy arrays.

The worker runs untrusted programs, so nothing it sends is unpickled: headers are JSON and arrays are
``.npy`` bytes read with ``allow_pickle=False``. A frame is::

    u32 header length | header JSON | u32 array count | (u64 length | .npy bytes) * count
"""

from __future__ import annotations

import io
import json
import struct
from typing import BinaryIO

import numpy as np


def encode(header: dict, arrays: list[np.ndarray] | None = None) -> bytes:
    """One frame holding ``header`` (JSON-serialisable) and ``arrays``."""
    arrays = arrays or []
    head = json.dumps(header).encode()
    chunks = [struct.pack("<I", len(head)), head, struct.pack("<I", len(arrays))]
    for arr in arrays:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
        data = buf.getvalue()
        chunks += [struct.pack("<Q", len(data)), data]
    return b"".join(chunks)


def write(stream: BinaryIO, header: dict, arrays: list[np.ndarray] | None = None) -> None:
    stream.write(encode(header, arrays))
    stream.flush()


def decode(read_exact) -> tuple[dict, list[np.ndarray]]:
    """Read one frame through ``read_exact(n) -> bytes`` (which raises EOFError on a closed stream)."""
    (n,) = struct.unpack("<I", read_exact(4))
    header = json.loads(read_exact(n))
    (count,) = struct.unpack("<I", read_exact(4))
    arrays = []
    for _ in range(count):
        (size,) = struct.unpack("<Q", read_exact(8))
        arrays.append(np.lib.format.read_array(io.BytesIO(read_exact(size)), allow_pickle=False))
    return header, arrays


def stream_reader(stream: BinaryIO):
    """A ``read_exact`` over a blocking binary stream."""

    def read_exact(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = stream.read(n - len(data))
            if not chunk:
                raise EOFError("stream closed")
            data += chunk
        return data

    return read_exact
