import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: dining chair
# part_1: seat
create_primitive(name='seat_1', primitive_type='cube', location=[0.0, -0.04, 0.02], scale=[0.24, 0.025, 0.23])
bevel(name='seat_1', width=0.2, segments=3)
# part_2: front left leg
create_primitive(name='front left leg_2', primitive_type='cylinder', location=[-0.2, -0.29, 0.21], scale=[0.02, 0.02, 0.22], rotation=[0.71, 0.71, 0.0, 0.0])
# part_3: front right leg
create_primitive(name='front right leg_3', primitive_type='cylinder', location=[0.2, -0.29, 0.21], scale=[0.02, 0.02, 0.22], rotation=[0.71, 0.71, 0.0, 0.0])
# part_4: back left leg
create_primitive(name='back left leg_4', primitive_type='cylinder', location=[-0.2, -0.29, -0.17], scale=[0.02, 0.02, 0.22], rotation=[0.71, 0.71, 0.0, 0.0])
# part_5: back right leg
create_primitive(name='back right leg_5', primitive_type='cylinder', location=[0.2, -0.29, -0.17], scale=[0.02, 0.02, 0.22], rotation=[0.71, 0.71, 0.0, 0.0])
# part_6: back
create_curve(name=['line_1_6', 'line_2_6'], control_points=[[[-0.234, 0.467, -0.191], [-0.234, -0.021, -0.191]], [[0.236, 0.467, -0.191], [0.236, -0.021, -0.191]]], handle_type=[1, 1, 1, 1])
bridge_edge_loops(name='back_6', profile_name=['line_1_6', 'line_2_6'], number_cuts=16, smoothness=0.84, profile_shape_factor=0.16)
solidify(name='back_6', thickness=0.02)
