import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: spiral staircase
# part_1: base plate
create_primitive(name='base plate_1', primitive_type='cylinder', location=[0.0, -0.49, 0.0], scale=[0.12, 0.12, 0.01], rotation=[0.71, -0.71, 0.0, 0.0])
# part_2: pole
create_primitive(name='pole_2', primitive_type='cylinder', location=[0.0, -0.01, 0.0], scale=[0.04, 0.04, 0.47], rotation=[0.71, -0.71, 0.0, 0.0])
# part_3: steps
create_trapezoid_body(name='steps_3', size=[0.2, 0.03, 0.07, 0.03, 0.42], location=[0.25, -0.46, 0.0], rotation=[0.71, -0.71, 0.0, 0.0])
change_origin(name='steps_3', location=[0.0, -0.46, 0.0])
array_rotate(name='steps_3', count=15, rotation_angle=0.14, rotation_origin=[0.0, 0.0, 0.0], z_offset=0.05)
# part_4: balusters
create_primitive(name='balusters_4', primitive_type='cylinder', location=[0.42, -0.36, 0.0], scale=[0.01, 0.01, 0.08], rotation=[0.71, -0.71, 0.0, 0.0], apply=True)
array_rotate(name='balusters_4', count=15, rotation_angle=0.14, rotation_origin=[0.0, 0.0, 0.0], z_offset=0.05, rotation_axis=[0.71, -0.71, 0.0, 0.0], rotation_mode='QUATERNION')
# part_5: handrail
create_circle(name='circle_5', radius=0.01, resolution=12)
create_spiral(name='handrail_5', profile_name='circle_5', dif_z=0.71, radius=0.42, turns=1, resolution=6, fill_caps='both', location=[0.0, 0.08, 0.0], rotation=[0.71, -0.71, 0.0, 0.0])
# part_6: finial
create_primitive(name='finial_6', primitive_type='uv_sphere', location=[0.0, 0.47, 0.0], scale=[0.05, 0.03, 0.05])
