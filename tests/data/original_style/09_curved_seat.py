import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: office chair
# part_1: seat shell
create_primitive(name='seat shell_1', primitive_type='cube', location=[0.0, -0.05, -0.1], scale=[0.25, 0.015, 0.45], use_minimum_face=False, resolution=[8, 1, 60], apply=True)
create_curve(name='curve_1', control_points=[[0.0, -0.05, 0.35], [0.0, -0.05, -0.05], [0.0, 0.0, -0.27], [0.0, 0.45, -0.36]], handle_type=[1, 0, 0, 0, 0, 0, 0, 1])
add_curve_modifier_to_object(name='seat shell_1', curve_name='curve_1', origin=[0.0, -0.05, 0.35], rotation=[0.71, 0.0, 0.71, 0.0], axis='POS_X')
# part_2: column
create_primitive(name='column_2', primitive_type='cylinder', location=[0.0, -0.27, 0.05], scale=[0.03, 0.03, 0.2], rotation=[0.71, -0.71, 0.0, 0.0])
# part_3: left armrest
create_primitive(name='left armrest_3', primitive_type='cube', location=[-0.29, 0.12, 0.05], scale=[0.02, 0.015, 0.2], use_minimum_face=False, resolution=[1, 1, 40], apply=True)
create_curve(name='curve_3', control_points=[[-0.29, 0.12, 0.25], [-0.29, 0.12, 0.0], [-0.29, 0.0, -0.2]], handle_type=[1, 0, 0, 0, 0, 1])
add_curve_modifier_to_object(name='left armrest_3', curve_name='curve_3', origin=[-0.29, 0.12, 0.25], rotation=[0.71, 0.0, 0.71, 0.0], axis='POS_X')
# part_4: right armrest
create_primitive(name='right armrest_4', primitive_type='cube', location=[0.29, 0.12, 0.05], scale=[0.02, 0.015, 0.2], use_minimum_face=False, resolution=[1, 1, 40], apply=True)
create_curve(name='curve_4', control_points=[[0.29, 0.12, 0.25], [0.29, 0.12, 0.0], [0.29, 0.0, -0.2]], handle_type=[1, 0, 0, 0, 0, 1])
add_curve_modifier_to_object(name='right armrest_4', curve_name='curve_4', origin=[0.29, 0.12, 0.25], rotation=[0.71, 0.0, 0.71, 0.0], axis='POS_X')
