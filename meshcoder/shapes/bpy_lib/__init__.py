"""The shape-language library, as programs see it (``from bpy_lib import *``). Runs inside Blender.

Each module below holds one family of catalogue functions; its ``__all__`` lists the functions that
programs may call. The validator reads those lists and signatures from the source without importing
Blender (see ``meshcoder.shapes.catalogue``), so this package is the single source of truth.
"""

from meshcoder.shapes.bpy_lib.arrays import *
from meshcoder.shapes.bpy_lib.booleans import *
from meshcoder.shapes.bpy_lib.bridge import *
from meshcoder.shapes.bpy_lib.cutlery import *
from meshcoder.shapes.bpy_lib.deformers import *
from meshcoder.shapes.bpy_lib.modifiers import *
from meshcoder.shapes.bpy_lib.panels import *
from meshcoder.shapes.bpy_lib.primitives import *
from meshcoder.shapes.bpy_lib.revolution import *
from meshcoder.shapes.bpy_lib.scene import *
from meshcoder.shapes.bpy_lib.sections import *
from meshcoder.shapes.bpy_lib.sweeps import *

# Order matters only for documentation; the catalogue reads these module names.
CATALOGUE_MODULES = (
    "scene",
    "primitives",
    "sections",
    "sweeps",
    "revolution",
    "bridge",
    "booleans",
    "arrays",
    "modifiers",
    "panels",
    "deformers",
    "cutlery",
)
