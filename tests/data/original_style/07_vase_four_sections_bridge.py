import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: vase
# part_1: body
create_circle(name=['circle_1_1', 'circle_2_1', 'circle_3_1', 'circle_4_1'], location=[[0.0, -0.45, 0.0], [0.0, -0.3, 0.0], [0.0, 0.1, 0.0], [0.0, 0.45, 0.0]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.15, 0.3, 0.18, 0.12])
bridge_edge_loops(name='body_1', profile_name=['circle_1_1', 'circle_2_1', 'circle_3_1', 'circle_4_1'], number_cuts=6, smoothness=1.0, interpolation='SURFACE', fill_caps='start')
solidify(name='body_1', thickness=0.01)
