import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: desk lamp
# part_1: base
create_primitive(name='base_1', primitive_type='cylinder', location=[-0.26, -0.48, 0.0], scale=[0.16, 0.16, 0.02], rotation=[0.71, -0.71, 0.0, 0.0], use_minimum_face=False, resolution=[48, 1])
bevel(name='base_1', width=0.5, segments=4)
# part_2: base pivot
create_primitive(name='base pivot_2', primitive_type='cube', location=[-0.26, -0.44, 0.0], scale=[0.03, 0.02, 0.04])
create_primitive(name='cylinder_2', primitive_type='cylinder', location=[-0.26, -0.42, 0.0], scale=[0.03, 0.03, 0.04])
boolean_operation(name1='base pivot_2', name2='cylinder_2', operation='UNION')
# part_3: lower arm
create_circle(name='circle_1_3', radius=0.01, resolution=12)
create_curve(name='rod_1_3', profile_name='circle_1_3', control_points=[[-0.26, -0.42, 0.025], [-0.14, 0.46, 0.025]], handle_type=[1, 1, 1, 1], fill_caps='both')
create_circle(name='circle_2_3', radius=0.01, resolution=12)
create_curve(name='rod_2_3', profile_name='circle_2_3', control_points=[[-0.26, -0.42, -0.025], [-0.14, 0.46, -0.025]], handle_type=[1, 1, 1, 1], fill_caps='both')
join_obj(name='lower arm_3', seq_name=['rod_1_3', 'rod_2_3'])
# part_4: lower spring
create_circle(name='circle_4', radius=0.01, scale=[0.3, 0.3, 1.0], resolution=8)
create_spiral(name='lower spring_4', profile_name='circle_4', dif_z=0.01, radius=0.01, turns=20, resolution=3, location=[-0.18, -0.16, 0.0], rotation=[0.71, -0.7, 0.1, 0.0])
# part_5: elbow joint
create_primitive(name='elbow joint_5', primitive_type='cylinder', location=[-0.14, 0.46, 0.0], scale=[0.02, 0.02, 0.04])
# part_6: upper arm
create_circle(name='circle_1_6', radius=0.01, scale=[0.8, 0.8, 1.0], resolution=12)
create_curve(name='rod_1_6', profile_name='circle_1_6', control_points=[[-0.14, 0.46, 0.025], [0.2, 0.4, 0.025]], handle_type=[1, 1, 1, 1], fill_caps='both')
create_circle(name='circle_2_6', radius=0.01, scale=[0.8, 0.8, 1.0], resolution=12)
create_curve(name='rod_2_6', profile_name='circle_2_6', control_points=[[-0.14, 0.46, -0.025], [0.2, 0.4, -0.025]], handle_type=[1, 1, 1, 1], fill_caps='both')
join_obj(name='upper arm_6', seq_name=['rod_1_6', 'rod_2_6'])
# part_7: upper spring
create_circle(name='circle_7', radius=0.01, scale=[0.25, 0.25, 1.0], resolution=8)
create_spiral(name='upper spring_7', profile_name='circle_7', dif_z=0.01, radius=0.01, turns=14, resolution=3, location=[0.04, 0.46, 0.0], rotation=[0.71, 0.12, 0.7, 0.0])
# part_8: head joint
create_primitive(name='head joint_8', primitive_type='cylinder', location=[0.2, 0.4, 0.0], scale=[0.02, 0.02, 0.04])
# part_9: shade
create_curve(name='curve_9', control_points=[[0.0, 0.0, 0.0], [0.035, 0.0, 0.0], [0.04, -0.05, 0.0], [0.075, -0.11, 0.0], [0.15, -0.22, 0.0]], handle_type=[1, 1, 1, 1, 1, 0, 0, 0, 0, 1], resolution=8)
bezier_rotation(name='shade_9', profile_name='curve_9', location=[0.2, 0.4, 0.0], rotation=[0.71, -0.67, -0.23, 0.0], thickness=0.006, use_smooth=True)
# part_10: bulb
create_primitive(name='bulb_10', primitive_type='uv_sphere', location=[0.24, 0.29, 0.0], scale=[0.05, 0.05, 0.05])
