import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: bathroom vanity with basin and mirror
# part_1: plinth
create_primitive(name='plinth_1', primitive_type='cube', location=[0.0, -0.48, 0.0], scale=[0.27, 0.02, 0.19])
# part_2: cabinet
create_primitive(name='cabinet_2', primitive_type='cube', location=[0.0, -0.26, -0.01], scale=[0.29, 0.2, 0.2])
# part_3: doors
create_primitive(name='doors_3', primitive_type='cube', location=[-0.14, -0.26, 0.2], scale=[0.13, 0.19, 0.01])
bevel(name='doors_3', width=0.3, segments=2)
create_primitive(name='cube_3', primitive_type='cube', location=[0.14, -0.26, 0.2], scale=[0.13, 0.19, 0.01])
bevel(name='cube_3', width=0.3, segments=2)
join_obj(name='doors_3', seq_name=['cube_3', 'doors_3'])
# part_4: door handles
create_primitive(name='door handles_4', primitive_type='cylinder', location=[-0.03, -0.16, 0.22], scale=[0.01, 0.01, 0.05], rotation=[0.71, -0.71, 0.0, 0.0])
create_primitive(name='cylinder_4', primitive_type='cylinder', location=[0.03, -0.16, 0.22], scale=[0.01, 0.01, 0.05], rotation=[0.71, -0.71, 0.0, 0.0])
join_obj(name='door handles_4', seq_name=['cylinder_4', 'door handles_4'])
recalculate_normals(name='door handles_4')
# part_5: countertop
create_primitive(name='countertop_5', primitive_type='cube', location=[0.0, 0.0, 0.0], scale=[0.3, 0.06, 0.22])
bevel(name='countertop_5', width=0.1, segments=3)
create_primitive(name='uv_sphere_5', primitive_type='uv_sphere', location=[0.0, 0.07, 0.03], scale=[0.2, 0.11, 0.14])
boolean_operation(name1='countertop_5', name2='uv_sphere_5', operation='DIFFERENCE')
# part_6: backsplash
create_primitive(name='backsplash_6', primitive_type='cube', location=[0.0, 0.1, -0.2], scale=[0.3, 0.04, 0.01])
# part_7: drain
create_primitive(name='drain_7', primitive_type='cylinder', location=[0.0, -0.04, 0.03], scale=[0.02, 0.02, 0.01], rotation=[0.71, -0.71, 0.0, 0.0])
# part_8: faucet base
create_primitive(name='faucet base_8', primitive_type='cylinder', location=[0.0, 0.08, -0.16], scale=[0.03, 0.03, 0.02], rotation=[0.71, -0.71, 0.0, 0.0])
# part_9: spout
create_oval(name='oval_9', a=0.02, b=0.01)
create_arc_by_3Dpoints(name='spout_9', profile_name='oval_9', control_points=[[0.0, 0.09, -0.16], [0.0, 0.2, -0.1], [0.0, 0.16, -0.04]], points_radius=[1.0, 0.8], fill_caps='both')
# part_10: faucet handles
create_primitive(name='faucet handles_10', primitive_type='cylinder', location=[-0.08, 0.08, -0.16], scale=[0.02, 0.02, 0.02], rotation=[0.71, -0.71, 0.0, 0.0], apply=True)
bevel(name='faucet handles_10', width=0.01, segments=3)
array_1d(name='faucet handles_10', count=2, constant_offset=[0.16, 0.0, 0.0])
# part_11: mirror frame
create_circle(name='circle_11', radius=0.01, scale=[1.0, 0.7, 1.0])
create_circle(name='mirror frame_11', profile_name='circle_11', location=[0.0, 0.35, -0.2], radius=0.14)
# part_12: mirror
create_primitive(name='mirror_12', primitive_type='cylinder', location=[0.0, 0.35, -0.21], scale=[0.13, 0.13, 0.01], use_minimum_face=False, resolution=[64, 1])
