import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: side table
# part_1: legs
create_trapezoid_body(name='legs_1', size=[0.07, 0.07, 0.04, 0.04, 0.94], location=[-0.35, -0.03, -0.35], rotation=[0.71, 0.0, 0.0, 0.71], apply=True)
array_2d(name='legs_1', count_1=2, constant_offset_1=[0.7, 0.0, 0.0], count_2=2, constant_offset_2=[0.0, 0.0, 0.7])
# part_2: lower shelf
create_primitive(name='lower shelf_2', primitive_type='cube', location=[0.0, -0.26, 0.0], scale=[0.35, 0.02, 0.35])
bevel(name='lower shelf_2', width=0.05, segments=3)
# part_3: apron
create_primitive(name='apron_3', primitive_type='cube', location=[0.0, 0.36, 0.0], scale=[0.34, 0.07, 0.34])
# part_4: drawer front
create_primitive(name='drawer front_4', primitive_type='cube', location=[0.0, 0.36, 0.35], scale=[0.26, 0.05, 0.02])
bevel(name='drawer front_4', width=0.1, segments=3)
# part_5: knob
create_primitive(name='knob_5', primitive_type='uv_sphere', location=[0.0, 0.36, 0.39], scale=[0.03, 0.03, 0.03])
# part_6: top
create_primitive(name='top_6', primitive_type='cube', location=[0.0, 0.47, 0.0], scale=[0.42, 0.03, 0.42])
bevel(name='top_6', width=0.04, segments=4)
