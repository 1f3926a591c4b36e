import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: metal bucket
# part_1: body
create_primitive(name='body_1', primitive_type='cylinder', location=[0.0, -0.19, 0.0], scale=[0.3, 0.3, 0.31], rotation=[0.71, -0.71, 0.0, 0.0], use_minimum_face=False, resolution=[64, 1])
zoom_upper_face(name='body_1', factor=1.3)
create_primitive(name='cylinder_1', primitive_type='cylinder', location=[0.0, -0.14, 0.0], scale=[0.29, 0.29, 0.34], rotation=[0.71, -0.71, 0.0, 0.0], use_minimum_face=False, resolution=[64, 1])
zoom_upper_face(name='cylinder_1', factor=1.35)
boolean_operation(name1='body_1', name2='cylinder_1', operation='DIFFERENCE')
# part_2: rim
create_circle(name='circle_2', radius=0.01, resolution=12)
create_circle(name='rim_2', profile_name='circle_2', location=[0.0, 0.12, 0.0], rotation=[0.71, -0.71, 0.0, 0.0], radius=0.39)
# part_3: left ear
create_primitive(name='left ear_3', primitive_type='cube', location=[-0.39, 0.07, 0.0], scale=[0.01, 0.05, 0.04])
bevel(name='left ear_3', width=0.3, segments=3)
# part_4: handle
create_primitive(name='handle_4', primitive_type='cylinder', location=[0.65, 0.0, 0.0], scale=[0.01, 0.01, 0.65], rotation=[0.71, 0.0, 0.71, 0.0], use_minimum_face=False, resolution=[12, 64])
create_arc_points(name='arc_4', radius=0.41, start_angle=0.0, end_angle=180.0, location=[0.0, 0.07, 0.0])
add_curve_modifier_to_object(name='handle_4', curve_name='arc_4', origin=[0.0, 0.0, 0.0], rotation=[1.0, 0.0, 0.0, 0.0], axis='POS_X')
# part_5: grip
create_primitive(name='grip_5', primitive_type='cylinder', location=[0.0, 0.48, 0.0], scale=[0.02, 0.02, 0.08], rotation=[0.71, 0.0, 0.71, 0.0])
bevel(name='grip_5', width=0.4, segments=3)
# part_6: right ear
create_primitive(name='right ear_6', primitive_type='cube', location=[0.39, 0.07, 0.0], scale=[0.01, 0.05, 0.04])
bevel(name='right ear_6', width=0.3, segments=3)
