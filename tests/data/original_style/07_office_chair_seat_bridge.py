import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: office chair
# part_1: column
create_primitive(name='column_1', primitive_type='cylinder', location=[0.0, -0.3, 0.0], scale=[0.03, 0.03, 0.2], rotation=[0.71, -0.71, 0.0, 0.0])
# part_2: base
create_trapezoid_body(name='base_2', size=[0.03, 0.04, 0.05, 0.05, 0.27], location=[0.0, -0.47, 0.16], rotation=[0.71, 0.0, -0.71, 0.0])
array_rotate(name='base_2', count=5, rotation_angle=0.4, rotation_origin=[0.0, 0.0, 0.0], rotation_axis=[0.71, -0.71, 0.0, 0.0], rotation_mode='QUATERNION')
# part_3: seat
create_circle(name=['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3', 'circle_5_3'], location=[[0.0, 0.03, 0.02], [0.0, -0.06, 0.02], [0.0, 0.02, 0.02], [0.0, -0.04, 0.02], [0.0, -0.01, 0.02]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.22, 0.24, 0.28, 0.28, 0.3], scale=[1.0, 0.93, 1.0])
bridge_edge_loops(name='seat_3', profile_name=['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3', 'circle_5_3'], number_cuts=4, fill_caps='both')
corrective_smooth(name='seat_3', factor=0.5, repeat=5)
