import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: bottle
# part_1: body
create_circle(name=['circle_1_1', 'circle_2_1', 'circle_3_1', 'circle_4_1', 'circle_5_1'], location=[[0.0, -0.5, 0.0], [0.0, 0.5, 0.0], [0.0, 0.1, 0.0], [0.0, 0.25, 0.0], [0.0, -0.2, 0.0]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.2, 0.06, 0.2, 0.07, 0.2])
bridge_edge_loops(name='body_1', profile_name=['circle_1_1', 'circle_2_1', 'circle_3_1', 'circle_4_1', 'circle_5_1'], number_cuts=3, interpolation='LINEAR', fill_caps='both')
# part_2: cap
create_primitive(name='cap_2', primitive_type='cylinder', location=[0.0, 0.5, 0.0], scale=[0.07, 0.07, 0.03], rotation=[0.71, -0.71, 0.0, 0.0])
