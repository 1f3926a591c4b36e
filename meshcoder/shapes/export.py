"""Writing results as files people open: ``.glb`` (one named node per part), ``.ply``, ``.obj``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meshcoder.geometry.mesh import TriangleMesh

FORMATS = (".glb", ".ply", ".obj")


def save_parts(parts: dict[str, TriangleMesh], path: str | Path) -> Path:
    """Write meshes to ``path``; the format follows the suffix.

    ``.glb`` keeps each part as its own named node; ``.obj`` keeps them as named groups; ``.ply``
    holds the joined mesh (the format has no parts).
    """
    import trimesh

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write {path.name!r}: use one of {', '.join(FORMATS)}")
    if not parts:
        raise ValueError("nothing to write: no meshes")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".ply":
        joined = TriangleMesh.concatenate(list(parts.values()))
        trimesh.Trimesh(joined.vertices, joined.faces, process=False).export(path)
        return path
    if suffix == ".obj":
        _write_obj(parts, path)
        return path
    scene = trimesh.Scene()
    for name, mesh in parts.items():
        scene.add_geometry(
            trimesh.Trimesh(mesh.vertices, mesh.faces, process=False), node_name=name, geom_name=name
        )
    scene.export(path)
    return path


def _write_obj(parts: dict[str, TriangleMesh], path: Path) -> None:
    offset = 1
    with open(path, "w") as fh:
        fh.write("# written by meshcoder\n")
        for name, mesh in parts.items():
            fh.write(f"o {_obj_name(name)}\n")
            np.savetxt(fh, mesh.vertices, fmt="v %.6f %.6f %.6f")
            np.savetxt(fh, mesh.faces + offset, fmt="f %d %d %d")
            offset += len(mesh.vertices)


def _obj_name(name: str) -> str:
    """A part name as one ``o`` line can hold it: anything unprintable (line breaks included) becomes
    ``_``, so a name can never add lines of its own to the file."""
    cleaned = "".join(c if c.isprintable() else "_" for c in str(name)).strip()
    return cleaned or "part"


def load_parts(path: str | Path) -> dict[str, TriangleMesh]:
    """Read a mesh file into parts (``.glb``/``.gltf`` nodes, ``.obj`` objects, or one part)."""
    import trimesh

    path = Path(path)
    loaded = trimesh.load(path, process=False)
    if isinstance(loaded, trimesh.Scene):
        parts = {}
        for node in loaded.graph.nodes_geometry:
            transform, geom_name = loaded.graph[node]
            geom = loaded.geometry[geom_name]
            if not isinstance(geom, trimesh.Trimesh):
                continue
            v = trimesh.transform_points(geom.vertices, transform)
            parts[str(node)] = TriangleMesh(v, geom.faces)
        return parts
    if isinstance(loaded, trimesh.Trimesh):
        return {path.stem: TriangleMesh(loaded.vertices, loaded.faces)}
    raise ValueError(f"{path} holds no triangle mesh")
