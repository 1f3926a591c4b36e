import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: round side table
# part_1: top
create_circle(name='top_1', location=[0.0, 0.4, 0.0], rotation=[0.71, -0.71, 0.0, 0.0], radius=0.5)
fill_grid(name='top_1', thickness=0.04)
# part_2: pedestal
create_primitive(name='pedestal_2', primitive_type='cylinder', location=[0.0, -0.05, 0.0], scale=[0.04, 0.04, 0.45], rotation=[0.71, -0.71, 0.0, 0.0])
# part_3: foot
create_primitive(name='foot_3', primitive_type='cylinder', location=[0.0, -0.49, 0.0], scale=[0.2, 0.2, 0.01], rotation=[0.71, -0.71, 0.0, 0.0])
