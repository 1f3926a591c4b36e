import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: swivel office chair
# part_1: casters
create_primitive(name='casters_1', primitive_type='cylinder', location=[0.0, -0.47, 0.3], scale=[0.03, 0.03, 0.02], rotation=[0.71, 0.0, 0.71, 0.0])
array_rotate(name='casters_1', count=5, rotation_angle=0.4, rotation_origin=[0.0, 0.0, 0.0], rotation_axis=[0.71, -0.71, 0.0, 0.0], rotation_mode='QUATERNION')
# part_2: star base
create_trapezoid_body(name='star base_2', size=[0.03, 0.04, 0.05, 0.05, 0.27], location=[0.0, -0.41, 0.16], rotation=[0.71, 0.0, -0.71, 0.0])
array_rotate(name='star base_2', count=5, rotation_angle=0.4, rotation_origin=[0.0, 0.0, 0.0], rotation_axis=[0.71, -0.71, 0.0, 0.0], rotation_mode='QUATERNION')
# part_3: hub
create_primitive(name='hub_3', primitive_type='cylinder', location=[0.0, -0.4, 0.0], scale=[0.05, 0.05, 0.04], rotation=[0.71, -0.71, 0.0, 0.0])
# part_4: gas lift
create_primitive(name='gas lift_4', primitive_type='cylinder', location=[0.0, -0.24, 0.0], scale=[0.03, 0.03, 0.14], rotation=[0.71, -0.71, 0.0, 0.0])
# part_5: tilt mechanism
create_primitive(name='tilt mechanism_5', primitive_type='cube', location=[0.0, -0.08, 0.0], scale=[0.09, 0.03, 0.11])
bevel(name='tilt mechanism_5', width=0.2, segments=3)
# part_6: seat
create_circle(name=['circle_1_6', 'circle_2_6', 'circle_3_6', 'circle_4_6', 'circle_5_6'], location=[[0.0, -0.06, 0.02], [0.0, -0.04, 0.02], [0.0, -0.01, 0.02], [0.0, 0.02, 0.02], [0.0, 0.03, 0.02]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.24, 0.28, 0.3, 0.28, 0.22], scale=[1.0, 0.93, 1.0])
bridge_edge_loops(name='seat_6', profile_name=['circle_1_6', 'circle_2_6', 'circle_3_6', 'circle_4_6', 'circle_5_6'], number_cuts=4, fill_caps='both')
corrective_smooth(name='seat_6', factor=0.5, repeat=5)
# part_7: left armrest
create_rectangle(name='rectangle_7', width=0.05, length=0.03)
create_curve(name='left armrest_7', profile_name='rectangle_7', control_points=[[-0.25, -0.06, -0.06], [-0.31, 0.12, -0.04], [-0.31, 0.14, 0.16]], handle_type=[1, 1, 1, 1, 1, 1], bevel_width=0.05, fill_caps='both')
create_primitive(name='pad_7', primitive_type='cube', location=[-0.31, 0.16, 0.06], scale=[0.04, 0.02, 0.13])
bevel(name='pad_7', width=0.3, segments=3)
join_obj(name='left armrest_7', seq_name=['left armrest_7', 'pad_7'])
# part_8: right armrest
create_rectangle(name='rectangle_8', width=0.05, length=0.03)
create_curve(name='right armrest_8', profile_name='rectangle_8', control_points=[[0.25, -0.06, -0.06], [0.31, 0.12, -0.04], [0.31, 0.14, 0.16]], handle_type=[1, 1, 1, 1, 1, 1], bevel_width=0.05, fill_caps='both')
create_primitive(name='pad_8', primitive_type='cube', location=[0.31, 0.16, 0.06], scale=[0.04, 0.02, 0.13])
bevel(name='pad_8', width=0.3, segments=3)
join_obj(name='right armrest_8', seq_name=['right armrest_8', 'pad_8'])
# part_9: back support
create_rectangle(name='rectangle_9', width=0.07, length=0.02)
create_curve(name='back support_9', profile_name='rectangle_9', control_points=[[0.0, -0.08, -0.08], [0.0, -0.08, -0.26], [0.0, 0.2, -0.29]], handle_type=[1, 1, 1, 1, 1, 1], bevel_width=0.06, fill_caps='both')
# part_10: backrest
create_quad(name='backrest_10', control_points=[[-0.2, 0.08, -0.29], [0.2, 0.08, -0.29], [0.25, 0.2, -0.29], [0.25, 0.42, -0.29], [0.2, 0.5, -0.29], [-0.2, 0.5, -0.29], [-0.25, 0.42, -0.29], [-0.25, 0.2, -0.29]])
curve2meshgrid(name='backrest_10', resolution=24, thickness=0.04)
add_simple_deform_modifier(name='backrest_10', mode='BEND', angle=0.3, origin=[0.0, 0.3, -0.29], rotation=[0.71, 0.71, 0.0, 0.0], axis='Z')
