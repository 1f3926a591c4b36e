import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: flower vase
# part_1: body
create_curve(name='curve_1', control_points=[[0.13, 0.5, 0.0], [0.1, 0.4, 0.0], [0.12, 0.28, 0.0], [0.24, 0.1, 0.0], [0.25, -0.2, 0.0], [0.17, -0.46, 0.0], [0.15, -0.5, 0.0], [0.0, -0.5, 0.0]], handle_type=[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1], resolution=8)
bezier_rotation(name='body_1', profile_name='curve_1', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.01, use_smooth=True, resolution=16)
# part_2: lip
create_curve(name='curve_2', control_points=[[0.12, 0.49, 0.0], [0.15, 0.49, 0.0], [0.15, 0.51, 0.0], [0.12, 0.51, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1], closed=True)
bezier_rotation(name='lip_2', profile_name='curve_2', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.004, resolution=16)
