import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: corner shelf
# part_1: side panel
create_primitive(name='side panel_1', primitive_type='cube', location=[-0.25, 0.0, 0.0], scale=[0.01, 0.5, 0.25])
# part_2: back panel
create_primitive(name='back panel_2', primitive_type='cube', location=[0.0, 0.0, -0.25], scale=[0.25, 0.5, 0.01])
# part_3: shelf
create_quad(name='shelf_3', control_points=[[-0.24, 0.0, -0.24], [0.24, 0.0, -0.24], [-0.24, 0.0, 0.24]])
fill_grid(name='shelf_3', thickness=0.02)
# part_4: top
create_quad(name='top_4', control_points=[[-0.24, 0.49, -0.24], [0.24, 0.49, -0.24], [0.0, 0.49, 0.0], [-0.24, 0.49, 0.24]])
fill_grid(name='top_4', thickness=0.02)
