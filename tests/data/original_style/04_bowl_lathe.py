import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: salad bowl
# part_1: bowl
create_curve(name='curve_1', control_points=[[0.0, -0.24, 0.0], [0.22, -0.24, 0.0], [0.38, -0.13, 0.0], [0.46, 0.06, 0.0], [0.48, 0.24, 0.0]], handle_type=[1, 1, 1, 0, 0, 0, 0, 0, 0, 1], resolution=8)
bezier_rotation(name='bowl_1', profile_name='curve_1', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.02, use_smooth=True)
# part_2: foot ring
create_curve(name='curve_2', control_points=[[0.16, -0.27, 0.0], [0.2, -0.27, 0.0], [0.2, -0.24, 0.0], [0.16, -0.24, 0.0]], handle_type=[1, 1, 1, 1, 1, 1, 1, 1], closed=True)
bezier_rotation(name='foot ring_2', profile_name='curve_2', rotation=[0.71, -0.71, 0.0, 0.0])
