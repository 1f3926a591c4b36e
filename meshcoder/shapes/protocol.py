"""Framing between the caller and Blender workers: a JSON header plus raw numpy arrays.

The worker runs untrusted programs, so nothing it sends is unpickled: headers are JSON and arrays are
``.npy`` bytes read with ``allow_pickle=False``. A frame is::

    u32 header length | header JSON | u32 array count | (u64 length | .npy bytes) * count

Every request carries an ``id`` that the answer echoes, so the caller can tell an answer to this
request from anything else in the pipe. The caller reads a worker's frames through :class:`FrameBounds`:
every length is checked before the bytes are read, so a broken or hostile worker cannot make the
caller allocate more than the bound, and anything malformed is a :class:`FrameError`.
"""

from __future__ import annotations

import io
import json
import struct
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

#: Triangles a result may hold per vertex allowed: a closed triangle mesh has about two per vertex.
TRIANGLES_PER_VERTEX = 4
#: Bytes of one vertex (3 x float32) and of one triangle (3 x int32) in a result frame.
VERTEX_BYTES = TRIANGLES_BYTES = 12


_NPY_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


class FrameError(ValueError):
    """A frame that is malformed or larger than its bound."""


@dataclass(frozen=True)
class FrameBounds:
    """The most a frame may hold; checked before anything is read."""

    header_bytes: int = 4 << 20
    arrays: int = 1 << 17
    total_bytes: int = 64 << 20

    @classmethod
    def for_results(cls, max_vertices: int) -> FrameBounds:
        """Bounds for a program's result: at most ``max_vertices`` vertices and
        ``TRIANGLES_PER_VERTEX`` triangles per vertex, in float32 / int32, plus headers."""
        payload = max_vertices * (VERTEX_BYTES + TRIANGLES_PER_VERTEX * TRIANGLES_BYTES)
        return cls(total_bytes=payload + (16 << 20))


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


def decode(read_exact, bounds: FrameBounds | None = None) -> tuple[dict, list[np.ndarray]]:
    """Read one frame through ``read_exact(n) -> bytes`` (which raises EOFError on a closed stream).

    With ``bounds`` (the caller reading a worker), a frame over a bound or malformed in any way raises
    :class:`FrameError` before the oversized part is read. Without, the peer is trusted (the worker
    reading its caller).
    """
    if bounds is None:
        return _decode_trusted(read_exact)
    (n,) = struct.unpack("<I", read_exact(4))
    if n > bounds.header_bytes:
        raise FrameError(f"header of {n} bytes, over the bound of {bounds.header_bytes}")
    try:
        header = json.loads(read_exact(n))
    except (ValueError, RecursionError) as err:
        raise FrameError(f"header is not JSON ({type(err).__name__})") from None
    if not isinstance(header, dict):
        raise FrameError(f"header is a JSON {type(header).__name__}, not an object")
    (count,) = struct.unpack("<I", read_exact(4))
    if count > bounds.arrays:
        raise FrameError(f"{count} arrays, over the bound of {bounds.arrays}")
    left = bounds.total_bytes - n
    arrays = []
    for i in range(count):
        (size,) = struct.unpack("<Q", read_exact(8))
        if size > left:
            raise FrameError(
                f"array {i} of {size} bytes, over what is left of the frame's {bounds.total_bytes}"
            )
        left -= size
        arrays.append(_read_npy(read_exact(size), i))
    return header, arrays


def _read_npy(data: bytes, index: int) -> np.ndarray:
    """A plain numeric array from .npy bytes, its declared size checked against the bytes there are
    (numpy's own reader allocates the declared size first)."""
    buf = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buf)
        if version not in _NPY_HEADER_READERS:
            raise ValueError(f".npy version {version}")
        shape, fortran, dtype = _NPY_HEADER_READERS[version](buf)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as err:
        raise FrameError(f"array {index} is not a .npy array ({type(err).__name__}: {err})") from None
    if dtype.hasobject or dtype.kind not in "biuf":
        raise FrameError(f"array {index} has dtype {dtype}, not a plain number type")
    count = 1
    for dim in shape:
        count *= int(dim)
    if count * dtype.itemsize != len(data) - buf.tell():
        raise FrameError(f"array {index} declares shape {shape} but holds {len(data) - buf.tell()} bytes")
    array = np.frombuffer(data, dtype=dtype, count=count, offset=buf.tell())
    return array.reshape(shape, order="F" if fortran else "C")


def _decode_trusted(read_exact) -> tuple[dict, list[np.ndarray]]:
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
