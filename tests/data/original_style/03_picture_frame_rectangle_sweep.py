import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: picture frame
# part_1: frame
create_rectangle(name='rectangle_1', width=0.06, length=0.03, center='MEDIAN')
create_rectangle(name='frame_1', profile_name='rectangle_1', width=0.7, length=0.94, location=[0.0, 0.0, 0.0], rotation=[1.0, 0.0, 0.0, 0.0], thickness=0.004)
# part_2: mat
create_polygon(name='polygon_2', sides=4, radius=0.01)
create_polygon(name='mat_2', sides=6, profile_name='polygon_2', radius=0.3, location=[0.0, 0.0, 0.01])
# part_3: glass
create_primitive(name='glass_3', primitive_type='cube', location=[0.0, 0.0, -0.005], scale=[0.33, 0.45, 0.003])
