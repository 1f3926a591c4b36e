"""Blender worker process: ``python -m meshcoder.shapes.worker CONFIG_JSON``.

Started by :class:`meshcoder.shapes.executor.ExecutorPool`. It sandboxes itself (address-space cap,
no network where the kernel allows a new network namespace, a private working folder), imports ``bpy``
once, then answers requests on stdin with frames (:mod:`meshcoder.shapes.protocol`) on the original
stdout. Blender's own prints are sent to stderr so they cannot corrupt the protocol.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import resource
import sys
import tempfile
import time

import numpy as np

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _isolate_network() -> str:
    """Move this process into a new, empty network namespace; say how it went."""
    if not sys.platform.startswith("linux"):
        return f"unavailable on {sys.platform}"
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return "isolated"
    # Unprivileged users may still be allowed a user namespace that owns a network namespace.
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return "isolated (user namespace)"
    return f"unavailable ({os.strerror(ctypes.get_errno())})"


def _sandbox(config: dict) -> dict:
    info: dict = {}
    memory = int(config.get("memory_limit_bytes") or 0)
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    info["memory_limit_bytes"] = memory
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    info["network"] = _isolate_network() if config.get("isolate_network", True) else "not requested"
    workdir = tempfile.mkdtemp(prefix="meshcoder-worker-")
    os.chdir(workdir)
    info["workdir"] = workdir
    return info


def _handle(request: dict, arrays: list, runtime) -> tuple[dict, list]:
    op = request.get("op")
    if op == "run":
        report = runtime.execute(request["source"], validate=request.get("validate", True))
        parts = report.pop("parts")
        names = list(parts)
        out_arrays = []
        for name in names:
            vertices, faces = parts[name]
            # float32 / int32 halve the bytes through the pipe; float32 keeps ~1e-7 relative precision,
            # far below the 2-decimal numbers programs are written with.
            out_arrays += [vertices.astype(np.float32), faces.astype(np.int32)]
        report["parts"] = names
        report["worker_pid"] = os.getpid()
        return report, out_arrays
    if op == "render":
        from meshcoder.shapes import render_blender

        t0 = time.perf_counter()
        n = request["n_parts"]
        parts = {request["names"][i]: (arrays[2 * i], arrays[2 * i + 1]) for i in range(n)}
        points = arrays[2 * n] if request.get("has_points") else None
        render_blender.render(parts, request["path"], points=points, **request.get("options", {}))
        return {"status": "ok", "path": request["path"], "seconds": time.perf_counter() - t0}, []
    if op == "ping":
        return {"status": "ok", "pid": os.getpid()}, []
    return {"status": "error", "error": f"unknown request {op!r}"}, []


def main() -> None:
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # C-level prints from Blender now land on stderr
    sys.stdout = sys.stderr
    t0 = time.perf_counter()
    info = _sandbox(config)

    from meshcoder.shapes import protocol, runtime

    runtime.reset_scene()
    info["startup_seconds"] = time.perf_counter() - t0
    info["pid"] = os.getpid()
    protocol.write(proto_out, {"ready": True, **info})
    read_exact = protocol.stream_reader(sys.stdin.buffer)
    while True:
        try:
            request, arrays = protocol.decode(read_exact)
        except EOFError:
            return
        if request.get("op") == "exit":
            return
        try:
            header, out_arrays = _handle(request, arrays, runtime)
        except Exception as err:  # a bug on our side, not the program's: report it, keep serving
            header, out_arrays = {"status": "error", "error": f"{type(err).__name__}: {err}"}, []
        protocol.write(proto_out, header, out_arrays)


if __name__ == "__main__":
    main()
