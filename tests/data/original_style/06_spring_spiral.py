import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: spring
# part_1: coil
create_circle(name='circle_1', radius=0.03)
create_spiral(name='coil_1', profile_name='circle_1', dif_z=0.16, radius=0.3, turns=5, location=[0.0, 0.0, 0.0], rotation=[0.71, -0.71, 0.0, 0.0], fill_caps='both', flip_normals=True)
# part_2: end plate
create_primitive(name='end plate_2', primitive_type='cylinder', location=[0.0, -0.46, 0.0], scale=[0.34, 0.34, 0.02], rotation=[0.71, 0.71, 0.0, 0.0])
