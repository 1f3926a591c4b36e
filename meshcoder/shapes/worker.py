"""Blender worker process: ``python -m meshcoder.shapes.worker CONFIG_JSON``.

Started by :class:`meshcoder.shapes.executor.ExecutorPool`. It sandboxes itself (see
:mod:`meshcoder.shapes.sandbox`: address-space and file-size caps, new namespaces, then, once Blender
has started, Landlock, seccomp and no capabilities), imports ``bpy`` once, then answers requests on
stdin with frames (:mod:`meshcoder.shapes.protocol`) on the original stdout, each echoing its request's
``id``. Blender's own prints are sent to stderr so they cannot corrupt the protocol.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import time

#: Bytes a worker may write to any one file (its scratch files, its stderr log).
FILE_SIZE_LIMIT = 256 << 20
#: Size of the tmpfs scratch folder where the mount namespace allows one.
SCRATCH_BYTES = 512 << 20


def _sandbox_before_blender(config: dict) -> dict:
    """Caps and namespaces: everything that must happen before Blender starts."""
    from meshcoder.shapes import sandbox

    info: dict = {}
    memory = int(config.get("memory_limit_bytes") or 0)
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    info["memory_limit_bytes"] = memory
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    workdir = config["workdir"]
    isolate_network = bool(config.get("isolate_network", True))
    info["namespaces"] = sandbox.enter_namespaces(isolate_network, workdir)  # forks: we are the child
    if "net" in info["namespaces"]:
        info["network"] = "isolated"
    else:
        info["network"] = "not requested" if not isolate_network else "unavailable"
    info["mounts"] = (
        sandbox.mount_private(workdir, SCRATCH_BYTES) if "mount" in info["namespaces"] else "none"
    )
    os.chdir(workdir)
    info["workdir"] = workdir
    return info


def _sandbox_after_blender(workdir: str) -> dict:
    """Landlock, seccomp and capabilities: what Blender no longer needs once it has started."""
    from meshcoder.shapes import sandbox

    seccomp = sandbox.load_seccomp()
    return {
        "filesystem": sandbox.restrict_filesystem(sandbox.blender_read_paths(), sandbox.write_paths(workdir)),
        "processes": sandbox.forbid_new_processes(seccomp),
        "capabilities": sandbox.drop_capabilities(),
    }


def _handle(request: dict, arrays: list, runtime, limits) -> tuple[dict, list]:
    import numpy as np

    op = request.get("op")
    if op == "run":
        report = runtime.execute(request["source"], validate=request.get("validate", True), limits=limits)
        parts = report.pop("parts")
        names = list(parts)
        out_arrays = []
        for name in names:
            vertices, faces = parts[name]
            # float32 / int32 halve the bytes through the pipe; float32 keeps ~1e-7 relative precision,
            # far below the 2-decimal numbers programs are written with.
            out_arrays += [vertices.astype(np.float32), faces.astype(np.int32)]
        report["parts"] = names
        return report, out_arrays
    if op == "render":
        from meshcoder.shapes import render_blender

        t0 = time.perf_counter()
        n = request["n_parts"]
        parts = {request["names"][i]: (arrays[2 * i], arrays[2 * i + 1]) for i in range(n)}
        points = arrays[2 * n] if request.get("has_points") else None
        # The picture is drawn in the scratch folder (the only place a worker may write) and sent back.
        path = os.path.join(os.getcwd(), "render.png")
        render_blender.render(parts, path, points=points, **request.get("options", {}))
        with open(path, "rb") as f:
            png = np.frombuffer(f.read(), dtype=np.uint8)
        os.remove(path)
        return {"status": "ok", "seconds": time.perf_counter() - t0}, [png]
    if op == "ping":
        return {"status": "ok"}, []
    return {"status": "error", "error": f"unknown request {op!r}"}, []


def main() -> None:
    # Nothing that starts threads (numpy, Blender) may be imported before the namespaces: the kernel
    # lets only a single-threaded process enter a new user namespace.
    config = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    proto_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # C-level prints from Blender now land on stderr
    sys.stdout = sys.stderr
    t0 = time.perf_counter()
    info = _sandbox_before_blender(config)

    from meshcoder.shapes import protocol, runtime
    from meshcoder.shapes.program import DEFAULT_LIMITS

    limits = dataclasses.replace(
        DEFAULT_LIMITS, max_vertices=int(config.get("max_vertices", DEFAULT_LIMITS.max_vertices))
    )
    runtime.reset_scene()
    if config.get("sandbox", True):  # off only in the test that shows the namespaces alone holding
        info.update(_sandbox_after_blender(info["workdir"]))
    info["startup_seconds"] = time.perf_counter() - t0
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
            header, out_arrays = _handle(request, arrays, runtime, limits)
        except Exception as err:  # a bug on our side, not the program's: report it, keep serving
            header, out_arrays = {"status": "error", "error": f"{type(err).__name__}: {err}"}, []
        header["id"] = request.get("id")
        protocol.write(proto_out, header, out_arrays)


if __name__ == "__main__":
    main()
