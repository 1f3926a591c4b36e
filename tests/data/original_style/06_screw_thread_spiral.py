import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: screw
# part_1: shank
create_primitive(name='shank_1', primitive_type='cylinder', location=[0.0, -0.05, 0.0], scale=[0.08, 0.08, 0.4], rotation=[0.71, 0.71, 0.0, 0.0])
# part_2: thread
create_polygon(name='polygon_2', sides=3, radius=0.02)
create_spiral(name='thread_2', profile_name='polygon_2', dif_z=0.06, radius=0.09, turns=10.5, direction='CLOCKWISE', location=[0.0, -0.08, 0.0], rotation=[0.71, 0.71, 0.0, 0.0], thickness=0.002)
# part_3: head
create_primitive(name='head_3', primitive_type='cylinder', location=[0.0, 0.4, 0.0], scale=[0.16, 0.16, 0.05], rotation=[0.71, 0.71, 0.0, 0.0])
