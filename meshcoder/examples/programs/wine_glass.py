import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: wine glass
# part_1: foot
create_curve(name='curve_1', control_points=[[0.0, -0.5, 0.0], [0.2, -0.5, 0.0], [0.2, -0.49, 0.0], [0.1, -0.48, 0.0], [0.03, -0.45, 0.0], [0.0, -0.44, 0.0]], handle_type=[1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], resolution=8)
bezier_rotation(name='foot_1', profile_name='curve_1', rotation=[0.71, -0.71, 0.0, 0.0], resolution=12)
# part_2: stem
create_primitive(name='stem_2', primitive_type='cylinder', location=[0.0, -0.2, 0.0], scale=[0.02, 0.02, 0.25], rotation=[0.71, -0.71, 0.0, 0.0])
create_primitive(name='knop_2', primitive_type='uv_sphere', location=[0.0, -0.2, 0.0], scale=[0.03, 0.02, 0.03])
join_obj(name='stem_2', seq_name=['knop_2', 'stem_2'])
# part_3: bowl
create_curve(name='curve_3', control_points=[[0.0, 0.03, 0.0], [0.06, 0.04, 0.0], [0.16, 0.12, 0.0], [0.21, 0.27, 0.0], [0.2, 0.4, 0.0], [0.175, 0.5, 0.0]], handle_type=[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], resolution=8)
bezier_rotation(name='bowl_3', profile_name='curve_3', rotation=[0.71, -0.71, 0.0, 0.0], thickness=0.006, use_smooth=True, resolution=12)
# part_4: wine
create_curve(name='curve_4', control_points=[[0.0, 0.04, 0.0], [0.055, 0.05, 0.0], [0.148, 0.125, 0.0], [0.188, 0.22, 0.0], [0.0, 0.22, 0.0]], handle_type=[1, 0, 0, 0, 0, 0, 0, 1, 1, 1], resolution=8)
bezier_rotation(name='wine_4', profile_name='curve_4', rotation=[0.71, -0.71, 0.0, 0.0], use_smooth=True, resolution=12)
