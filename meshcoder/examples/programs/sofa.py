import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: sofa
# part_1: legs
create_primitive(name='legs_1', primitive_type='cylinder', location=[-0.44, -0.2, 0.16], scale=[0.02, 0.02, 0.02], rotation=[0.71, 0.71, 0.0, 0.0], apply=True)
array_2d(name='legs_1', count_1=2, constant_offset_1=[0.88, 0.0, 0.0], count_2=2, constant_offset_2=[0.0, 0.0, -0.33])
# part_2: base
create_primitive(name='base_2', primitive_type='cube', location=[0.0, -0.12, 0.0], scale=[0.42, 0.06, 0.2])
bevel(name='base_2', width=0.15, segments=3)
# part_3: arms
create_circle(name=['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3'], location=[[-0.45, -0.04, 0.22], [-0.45, -0.04, 0.2], [-0.45, -0.04, -0.19], [-0.45, -0.04, -0.22]], radius=0.05, scale=[[0.8, 2.3, 1.0], [1.0, 2.6, 1.0], [1.0, 2.6, 1.0], [0.85, 2.4, 1.0]])
create_circle(name=['circle_5_3', 'circle_6_3', 'circle_7_3', 'circle_8_3'], location=[[0.45, -0.04, 0.22], [0.45, -0.04, 0.2], [0.45, -0.04, -0.19], [0.45, -0.04, -0.22]], radius=0.05, scale=[[0.8, 2.3, 1.0], [1.0, 2.6, 1.0], [1.0, 2.6, 1.0], [0.85, 2.4, 1.0]])
bridge_edge_loops(name=['arm_1_3', 'arm_2_3'], profile_name=[['circle_1_3', 'circle_2_3', 'circle_3_3', 'circle_4_3'], ['circle_5_3', 'circle_6_3', 'circle_7_3', 'circle_8_3']], number_cuts=6, fill_caps='both')
join_obj(name='arms_3', seq_name=['arm_1_3', 'arm_2_3'])
# part_4: seat cushions
create_circle(name=['circle_1_4', 'circle_2_4', 'circle_3_4', 'circle_4_4'], location=[[-0.2, 0.0, 0.22], [-0.2, 0.0, 0.19], [-0.2, 0.0, -0.1], [-0.2, 0.0, -0.12]], radius=0.2, scale=[[0.92, 0.2, 1.0], [1.0, 0.26, 1.0], [1.0, 0.26, 1.0], [0.95, 0.2, 1.0]], resolution=48)
create_circle(name=['circle_5_4', 'circle_6_4', 'circle_7_4', 'circle_8_4'], location=[[0.2, 0.0, 0.22], [0.2, 0.0, 0.19], [0.2, 0.0, -0.1], [0.2, 0.0, -0.12]], radius=0.2, scale=[[0.92, 0.2, 1.0], [1.0, 0.26, 1.0], [1.0, 0.26, 1.0], [0.95, 0.2, 1.0]], resolution=48)
bridge_edge_loops(name=['cushion_1_4', 'cushion_2_4'], profile_name=[['circle_1_4', 'circle_2_4', 'circle_3_4', 'circle_4_4'], ['circle_5_4', 'circle_6_4', 'circle_7_4', 'circle_8_4']], number_cuts=6, fill_caps='both')
join_obj(name='seat cushions_4', seq_name=['cushion_1_4', 'cushion_2_4'])
# part_5: backrest
create_primitive(name='backrest_5', primitive_type='cube', location=[0.0, 0.06, -0.18], scale=[0.4, 0.16, 0.04])
bevel(name='backrest_5', width=0.2, segments=3)
# part_6: back cushions
create_primitive(name='back cushions_6', primitive_type='cube', location=[-0.2, 0.1, -0.1], scale=[0.19, 0.1, 0.05], rotation=[0.99, -0.13, 0.0, 0.0])
bevel(name='back cushions_6', width=0.3, segments=2)
subsurf(name='back cushions_6', levels=1)
create_primitive(name='cushion_6', primitive_type='cube', location=[0.2, 0.1, -0.1], scale=[0.19, 0.1, 0.05], rotation=[0.99, -0.13, 0.0, 0.0])
bevel(name='cushion_6', width=0.3, segments=2)
subsurf(name='cushion_6', levels=1)
join_obj(name='back cushions_6', seq_name=['cushion_6', 'back cushions_6'])
