import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: drawer knob
# part_1: head
create_curve(name='curve_1', control_points=[[0.0, 0.5, 0.0], [0.3, 0.47, 0.0], [0.45, 0.3, 0.0], [0.32, 0.1, 0.0], [0.1, 0.02, 0.0]], handle_type=[1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
bezier_rotation(name='head_1', profile_name='curve_1', rotation=[0.71, -0.71, 0.0, 0.0], use_smooth=True)
# part_2: grip
create_curve(name='curve_2', control_points=[[0.0, 0.02, 0.0], [0.08, 0.02, 0.0], [0.08, -0.4, 0.0], [0.0, -0.4, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1])
star_curve_rotation(name='grip_2', profile_name='curve_2', num_points=12, r_diff=0.02, rotation=[0.71, -0.71, 0.0, 0.0])
# part_3: base plate
create_curve(name='curve_3', control_points=[[0.0, -0.5, 0.0], [0.25, -0.5, 0.0], [0.25, -0.4, 0.0], [0.0, -0.4, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1])
bezier_rotation(name='base plate_3', profile_name='curve_3', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.01)
