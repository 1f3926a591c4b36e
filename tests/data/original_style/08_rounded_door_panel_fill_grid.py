import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: cabinet door
# part_1: panel
create_curve(name='panel_1', control_points=[[-0.25, -0.5, 0.0], [0.25, -0.5, 0.0], [0.25, 0.5, 0.0], [-0.25, 0.5, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1], closed=True)
bevel(name='panel_1', width=0.06, segments=4)
fill_grid(name='panel_1', thickness=0.02)
# part_2: knob
create_primitive(name='knob_2', primitive_type='uv_sphere', location=[0.18, 0.0, 0.03], scale=[0.02, 0.02, 0.02])
