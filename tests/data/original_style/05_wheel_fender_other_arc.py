import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: bicycle wheel
# part_1: tire
create_circle(name='circle_1', radius=0.03)
create_circle(name='tire_1', profile_name='circle_1', radius=0.45, rotation=[1.0, 0.0, 0.0, 0.0])
# part_2: fender
create_rectangle(name='rectangle_2', width=0.09, length=0.006, center='MEDIAN')
create_arc_by_3Dpoints(name='fender_2', profile_name='rectangle_2', control_points=[[0.49, 0.0, 0.0], [0.48, 0.17, 0.0], [-0.25, 0.42, 0.0]], thickness=0.004, fill_caps='none')
# part_3: hub
create_primitive(name='hub_3', primitive_type='cylinder', location=[0.0, 0.0, 0.0], scale=[0.04, 0.04, 0.06])
# part_4: clip
create_circle(name='circle_4', radius=0.01)
create_arc_by_3Dpoints(name='clip_4', profile_name='circle_4', control_points=[[0.2, 0.0, 0.1], [0.19, 0.07, 0.1], [0.1, -0.17, 0.1]], points_radius=[1.0, 2.0])
