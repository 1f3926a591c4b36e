import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: coat hook
# part_1: plate
create_primitive(name='plate_1', primitive_type='cube', location=[0.0, 0.0, -0.2], scale=[0.12, 0.3, 0.02])
# part_2: hook
create_circle(name='circle_2', radius=0.025)
create_curve(name='hook_2', profile_name='circle_2', control_points=[[0.0, 0.15, -0.18], [0.0, 0.2, 0.1], [0.0, 0.05, 0.3], [0.0, -0.1, 0.22]], points_radius=[1.0, 0.9, 0.7, 0.5], handle_type=[1, 0, 0, 0, 0, 0, 0, 1], fill_caps='both')
# part_3: hook
create_circle(name='circle_3', radius=0.03)
create_curve(name='hook_3', profile_name='circle_3', control_points=[[0.0, -0.15, -0.18], [0.0, -0.2, 0.05], [0.0, -0.3, 0.12]], points_radius=[1.0, 0.8, 0.6], handle_type=[1, 0, 0, 0, 0, 1], thickness=0.006, fill_caps='both')
# part_4: tip
create_circle(name='circle_4', radius=0.02)
create_curve(name='tip_4', profile_name='circle_4', control_points=[[0.0, -0.3, 0.12], [0.0, -0.34, 0.16]], handle_type=[1, 1, 1, 1], fill_caps='start', flip_normals=True)
