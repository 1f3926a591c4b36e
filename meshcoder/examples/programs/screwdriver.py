import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: flat-head screwdriver
# part_1: handle
create_star(name='star_1', outer_radius=0.06, inner_radius=0.05, num_points=8, edge='smooth')
create_curve(name='handle_1', profile_name='star_1', control_points=[[-0.5, 0.0, 0.0], [-0.47, 0.0, 0.0], [-0.3, 0.0, 0.0], [-0.16, 0.0, 0.0], [-0.11, 0.0, 0.0]], points_radius=[0.75, 1.0, 0.92, 0.85, 0.6], resolution=12, fill_caps='both')
# part_2: ferrule
create_polygon(name='polygon_2', sides=6, radius=0.03)
create_curve(name='ferrule_2', profile_name='polygon_2', control_points=[[-0.115, 0.0, 0.0], [-0.06, 0.0, 0.0]], points_radius=[1.0, 0.8], handle_type=[1, 1, 1, 1], fill_caps='both')
# part_3: shaft
create_primitive(name='shaft_3', primitive_type='cylinder', location=[0.19, 0.0, 0.0], scale=[0.01, 0.01, 0.25], rotation=[0.71, 0.0, 0.71, 0.0], apply=True)
create_trapezoid_body(name='tip_3', size=[0.01, 0.03, 0.02, 0.02, 0.06], location=[0.47, 0.0, 0.0], apply=True)
join_obj(name='shaft_3', seq_name=['tip_3', 'shaft_3'])
weld(name='shaft_3', merge_threshold=0.001)
