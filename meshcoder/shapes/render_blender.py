"""Headless pictures of meshes and point clouds with Blender's Cycles on the CPU (worker side only).

One fixed look for every picture the project makes (CLI, data gallery, validation callback): objects in
the canonical frame (Y up), a three-quarter camera, a key, fill and rim light on a light background,
each part in its own colour, and an optional point cloud drawn beside the mesh. Called through
:meth:`meshcoder.shapes.executor.ExecutorPool.render`; never imported by the caller.
"""

from __future__ import annotations

import colorsys
import math

import bpy
import numpy as np
from mathutils import Matrix, Vector

from meshcoder.shapes import runtime

#: Golden-ratio hue steps give neighbouring parts clearly different colours.
_GOLDEN = 0.618033988749895
POINT_COLOUR = (0.15, 0.35, 0.85, 1.0)
#: Unit vector from the scene centre to the camera: a three-quarter view from front-right, above.
VIEW_DIRECTION = np.array([0.55, 0.45, 0.7]) / np.linalg.norm([0.55, 0.45, 0.7])


def part_colour(index: int) -> tuple[float, float, float, float]:
    """The colour of part ``index`` (stable across pictures)."""
    h = (0.08 + index * _GOLDEN) % 1.0
    r, g, b = colorsys.hsv_to_rgb(h, 0.7, 0.85)
    return (r, g, b, 1.0)


def _material(name: str, colour) -> bpy.types.Material:
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes.get("Principled BSDF")
    if bsdf is not None:
        bsdf.inputs["Base Color"].default_value = colour
        bsdf.inputs["Roughness"].default_value = 0.6
    mat.diffuse_color = colour
    return mat


def _mesh_object(name: str, vertices: np.ndarray, faces: np.ndarray, colour) -> bpy.types.Object:
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(np.asarray(vertices, dtype=np.float64).tolist(), [], np.asarray(faces).tolist())
    mesh.update()
    mesh.materials.append(_material(name, colour))
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def _point_markers(points: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """A small octahedron at every point: renders in any engine, cheap for a few thousand points."""
    offsets = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], float) * radius
    tris = np.array([[0, 2, 4], [2, 1, 4], [1, 3, 4], [3, 0, 4], [2, 0, 5], [1, 2, 5], [3, 1, 5], [0, 3, 5]])
    n = len(points)
    vertices = (points[:, None, :] + offsets[None]).reshape(-1, 3)
    faces = (tris[None] + 6 * np.arange(n)[:, None, None]).reshape(-1, 3)
    return vertices, faces


def _view_rotation(direction: Vector) -> Matrix:
    """Rotation of a camera or light looking along ``direction`` with world +Y up in the picture.

    (``Vector.to_track_quat`` keeps world Z up; the canonical frame is Y up.)
    """
    forward = direction.normalized()
    up = Vector((0.0, 1.0, 0.0))
    if abs(forward.dot(up)) > 0.999:
        up = Vector((0.0, 0.0, -1.0))
    right = forward.cross(up).normalized()
    true_up = right.cross(forward)
    return Matrix((right, true_up, -forward)).transposed()  # columns: camera X, Y, Z


def _look_at(obj: bpy.types.Object, target: Vector) -> None:
    obj.rotation_mode = "QUATERNION"
    obj.rotation_quaternion = _view_rotation(target - obj.location).to_quaternion()


def _setup_scene(resolution: int, samples: int) -> bpy.types.Scene:
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = samples
    scene.cycles.use_denoising = False
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.max_bounces = 3
    scene.render.resolution_x = resolution
    scene.render.resolution_y = resolution
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = False
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.view_settings.view_transform = "Standard"
    world = scene.world or bpy.data.worlds.new("World")
    scene.world = world
    world.use_nodes = True
    background = world.node_tree.nodes.get("Background")
    if background is not None:
        background.inputs["Color"].default_value = (0.92, 0.92, 0.92, 1.0)
        background.inputs["Strength"].default_value = 0.45
    return scene


def _light(name: str, kind: str, location, energy: float, target: Vector) -> None:
    data = bpy.data.lights.new(name, kind)
    data.energy = energy
    obj = bpy.data.objects.new(name, data)
    obj.location = location
    bpy.context.scene.collection.objects.link(obj)
    _look_at(obj, target)


def render(
    parts: dict[str, tuple[np.ndarray, np.ndarray]],
    path: str,
    points: np.ndarray | None = None,
    resolution: int = 256,
    samples: int = 8,
    point_radius: float = 0.006,
    max_points: int = 4096,
) -> str:
    """Render ``parts`` (name -> (vertices, faces)) and optionally ``points`` beside them to ``path``."""
    runtime.reset_scene()
    scene = _setup_scene(int(resolution), int(samples))
    allv = [np.asarray(v) for v, f in parts.values() if len(v)]
    lo = np.min([v.min(0) for v in allv], axis=0) if allv else np.array([-0.5, -0.5, -0.5])
    hi = np.max([v.max(0) for v in allv], axis=0) if allv else np.array([0.5, 0.5, 0.5])
    if points is not None and len(points):
        points = np.asarray(points, dtype=np.float64)
        if len(points) > max_points:
            points = points[np.random.default_rng(0).choice(len(points), max_points, replace=False)]
        # The cloud stands to the screen-left of the mesh, same scale, so the two read side by side.
        right = np.array(_view_rotation(Vector((-VIEW_DIRECTION).tolist())).col[0])
        corners = np.array(
            [[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
        )
        width = float(np.ptp(corners @ right))
        shifted = points - (points.min(0) + points.max(0)) / 2 + (lo + hi) / 2 - right * (width * 1.15 + 0.05)
        pv, pf = _point_markers(shifted, point_radius * max(1e-3, float((hi - lo).max())))
        _mesh_object("__points__", pv, pf, POINT_COLOUR)
        lo = np.minimum(lo, shifted.min(0))
        hi = np.maximum(hi, shifted.max(0))
    for i, (name, (vertices, faces)) in enumerate(parts.items()):
        if len(faces):
            _mesh_object(name, vertices, faces, part_colour(i))

    centre = Vector(((lo + hi) / 2).tolist())
    radius = max(1e-3, float(np.linalg.norm(hi - lo)) / 2)
    cam_data = bpy.data.cameras.new("camera")
    cam_data.lens = 50
    fov = 2 * math.atan(cam_data.sensor_width / (2 * cam_data.lens))
    distance = radius / math.sin(fov / 2) * 1.02
    camera = bpy.data.objects.new("camera", cam_data)
    direction = Vector(VIEW_DIRECTION.tolist())
    camera.location = centre + direction * distance
    cam_data.clip_start = distance * 0.01
    cam_data.clip_end = distance * 10
    scene.collection.objects.link(camera)
    _look_at(camera, centre)
    scene.camera = camera
    _light("key", "SUN", centre + Vector((1.0, 2.0, 1.5)), 2.2, centre)
    _light("fill", "SUN", centre + Vector((-1.5, 0.5, 1.0)), 0.6, centre)
    _light("rim", "SUN", centre + Vector((0.0, 1.0, -2.0)), 1.5, centre)
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)
    return str(path)
