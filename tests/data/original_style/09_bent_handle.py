import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: drawer front
# part_1: front panel
create_primitive(name='front panel_1', primitive_type='cube', location=[0.0, 0.0, -0.12], scale=[0.5, 0.3, 0.02])
# part_2: handle
create_primitive(name='handle_2', primitive_type='cube', location=[0.05, 0.2, -0.1], scale=[0.55, 0.03, 0.006], use_minimum_face=False, resolution=[90, 1, 1], apply=True)
create_curve(name='curve_2', control_points=[[-0.5, 0.2, -0.1], [-0.42, 0.2, -0.1], [-0.34, 0.2, -0.01], [0.34, 0.2, -0.01], [0.42, 0.2, -0.1], [0.5, 0.2, -0.1]], handle_type=[1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
add_curve_modifier_to_object(name='handle_2', curve_name='curve_2', origin=[-0.5, 0.2, -0.1], rotation=[0.71, 0.71, 0.0, 0.0], axis='POS_X')
