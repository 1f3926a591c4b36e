import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: cup
# part_1: body
create_primitive(name='body_1', primitive_type='cylinder', location=[-0.1, 0.0, 0.0], scale=[0.3, 0.3, 0.45], rotation=[0.71, 0.71, 0.0, 0.0])
# part_2: handle
create_rectangle(name='rectangle_2', width=0.06, length=0.03, center='MEDIAN')
create_arc_by_3Dpoints(name='handle_2', profile_name='rectangle_2', control_points=[[0.19, 0.25, 0.0], [0.42, 0.0, 0.0], [0.19, -0.25, 0.0]], points_radius=[0.8, 1.2], thickness=0.0, fill_caps='both')
# part_3: rim
create_circle(name='circle_3', radius=0.01)
create_arc_by_3Dpoints(name='rim_3', profile_name='circle_3', control_points=[[-0.4, 0.45, 0.0], [-0.1, 0.45, 0.3], [0.2, 0.45, 0.0]], closed=True)
