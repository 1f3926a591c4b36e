import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: ribbed jar
# part_1: body
create_curve(name='curve_1', control_points=[[0.0, -0.5, 0.0], [0.27, -0.5, 0.0], [0.31, -0.47, 0.0], [0.32, -0.38, 0.0], [0.32, 0.08, 0.0], [0.3, 0.18, 0.0], [0.22, 0.25, 0.0], [0.19, 0.27, 0.0]], handle_type=[1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], resolution=8)
star_curve_rotation(name='body_1', profile_name='curve_1', num_points=24, r_diff=0.02, rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.012)
# part_2: neck
create_primitive(name='neck_2', primitive_type='cylinder', location=[0.0, 0.3, 0.0], scale=[0.19, 0.19, 0.05], rotation=[0.71, -0.71, 0.0, 0.0], use_minimum_face=False, resolution=[64, 1])
# part_3: lid
create_curve(name='curve_3', control_points=[[0.215, 0.3, 0.0], [0.22, 0.4, 0.0], [0.2, 0.43, 0.0], [0.1, 0.44, 0.0], [0.0, 0.445, 0.0]], handle_type=[1, 1, 1, 0, 0, 0, 0, 0, 0, 1], resolution=8)
bezier_rotation(name='lid_3', profile_name='curve_3', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.01, resolution=16)
# part_4: knob
create_primitive(name='knob_4', primitive_type='uv_sphere', location=[0.0, 0.46, 0.0], scale=[0.07, 0.04, 0.07])
