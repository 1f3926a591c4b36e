import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: newel post
# part_1: post
create_primitive(name='post_1', primitive_type='cube', location=[0.0, -0.15, 0.0], scale=[0.08, 0.35, 0.08])
# part_2: finial
create_circle(name=['circle_1_2', 'circle_2_2', 'circle_3_2'], location=[[0.0, 0.5, 0.0], [0.0, 0.3, 0.0], [0.0, 0.2, 0.0]], rotation=[0.71, -0.71, 0.0, 0.0], radius=0.1, scale=[[0.0, 0.0, 0.0], [0.6, 0.6, 0.6], [1.0, 1.0, 1.0]])
bridge_edge_loops(name='finial_2', profile_name=['circle_1_2', 'circle_2_2', 'circle_3_2'], number_cuts=4, interpolation='LINEAR', fill_caps='end')
zoom_upper_face(name='finial_2', factor=1.5)
