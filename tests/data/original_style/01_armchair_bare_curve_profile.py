import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: armchair
# part_1: armrest
create_curve(name='curve_1', control_points=[[-0.03, 0.0, 0.0], [0.0, 0.02, 0.0], [0.03, 0.0, 0.0], [0.0, -0.02, 0.0]], handle_type=[0, 0, 0, 0, 0, 0, 0, 0], closed=True)
create_curve(name='armrest_1', profile_name='curve_1', control_points=[[-0.42, 0.02, 0.3], [-0.42, 0.12, 0.18], [-0.42, 0.12, -0.25]], points_radius=[1.0, 1.0, 1.0], handle_type=[1, 0, 0, 0, 0, 1], fill_caps='both')
# part_2: armrest
create_curve(name='curve_2', control_points=[[-0.03, 0.0, 0.0], [0.0, 0.02, 0.0], [0.03, 0.0, 0.0], [0.0, -0.02, 0.0]], handle_type=[0, 0, 0, 0, 0, 0, 0, 0], closed=True)
create_curve(name='armrest_2', profile_name='curve_2', control_points=[[0.42, 0.02, 0.3], [0.42, 0.12, 0.18], [0.42, 0.12, -0.25]], points_radius=[1.0, 1.0, 1.0], handle_type=[1, 0, 0, 0, 0, 1], fill_caps='both')
# part_3: leg
create_circle(name='circle_3', radius=0.02)
create_curve(name='leg_3', profile_name='circle_3', control_points=[[-0.4, -0.5, 0.25], [-0.4, -0.2, 0.25], [-0.4, 0.02, 0.28], [0.0, 0.0, 0.0]], handle_type=[1, 1, 0, 0, 1, 1, 3], fill_caps='both')
# part_4: leg
create_circle(name='circle_4', radius=0.02)
create_curve(name='leg_4', profile_name='circle_4', control_points=[[0.4, -0.5, 0.25], [0.4, -0.2, 0.25], [0.4, 0.02, 0.28]], handle_type=[1, 1, 0, 0, 1, 1, 1, 1], fill_caps='both')
# part_5: seat
create_primitive(name='seat_5', primitive_type='cube', location=[0.0, -0.05, 0.0], scale=[0.42, 0.04, 0.3])
