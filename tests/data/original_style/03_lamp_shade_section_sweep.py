import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: table lamp
# part_1: base
create_primitive(name='base_1', primitive_type='cylinder', location=[0.0, -0.47, 0.0], scale=[0.16, 0.16, 0.03], rotation=[0.71, 0.71, 0.0, 0.0])
# part_2: stem
create_primitive(name='stem_2', primitive_type='cylinder', location=[0.0, -0.2, 0.0], scale=[0.015, 0.015, 0.25], rotation=[0.71, 0.71, 0.0, 0.0])
# part_3: lamp shade
create_curve(name='curve_3', control_points=[[0.0, -0.14, 0.0], [0.12, 0.14, 0.0]], handle_type=[1, 1, 1, 1])
create_circle(name='lamp shade_3', profile_name='curve_3', radius=0.18, location=[0.0, 0.2, 0.0], rotation=[0.71, 0.71, 0.0, 0.0], thickness=0.008)
# part_4: ring
create_circle(name='circle_4', radius=0.008)
create_circle(name='ring_4', profile_name='circle_4', radius=0.3, location=[0.0, 0.06, 0.0], rotation=[0.71, 0.71, 0.0, 0.0])
