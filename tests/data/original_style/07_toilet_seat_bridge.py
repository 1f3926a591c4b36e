import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: toilet
# part_1: bowl
create_primitive(name='bowl_1', primitive_type='cylinder', location=[0.0, -0.2, 0.05], scale=[0.2, 0.25, 0.25], rotation=[0.71, -0.71, 0.0, 0.0])
# part_2: tank
create_primitive(name='tank_2', primitive_type='cube', location=[0.0, 0.1, -0.32], scale=[0.22, 0.2, 0.08])
bevel(name='tank_2', width=0.1, segments=3)
# part_3: seat
create_circle(name=['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3'], location=[[0.0, 0.05, 0.05], [0.0, 0.08, 0.05], [0.0, 0.08, 0.05], [0.0, 0.05, 0.05]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.2, 0.2, 0.12, 0.12], scale=[1.0, 1.25, 1.0])
bridge_edge_loops(name='seat_3', profile_name=['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3'], number_cuts=2, interpolation='LINEAR')
