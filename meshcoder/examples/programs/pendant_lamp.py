import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: hexagonal pendant lamp
# part_1: shade
create_polygon(name=['polygon_1_1', 'polygon_2_1', 'polygon_3_1'], sides=6, location=[[0.0, -0.5, 0.0], [0.0, -0.25, 0.0], [0.0, 0.0, 0.0]], rotation=[0.71, -0.71, 0.0, 0.0], radius=[0.4, 0.3, 0.12])
bridge_edge_loops(name='shade_1', profile_name=['polygon_1_1', 'polygon_2_1', 'polygon_3_1'], number_cuts=4, interpolation='LINEAR')
solidify(name='shade_1', thickness=0.006)
# part_2: bulb
create_primitive(name='bulb_2', primitive_type='uv_sphere', location=[0.0, -0.2, 0.0], scale=[0.07, 0.09, 0.07])
# part_3: socket
create_primitive(name='socket_3', primitive_type='cylinder', location=[0.0, -0.07, 0.0], scale=[0.04, 0.04, 0.07], rotation=[0.71, -0.71, 0.0, 0.0])
# part_4: chain
create_curve(name='curve_4', control_points=[[0.0, 0.44, 0.0], [0.0, 0.06, 0.0]], handle_type=[1, 1, 1, 1])
create_primitive(name='chain_4', primitive_type='torus', location=[0.0, 0.42, 0.0], scale=[0.02, 0.03, 0.02], apply=True)
array_1d(name='chain_4', fit_type='FIT_CURVE', fit_curve='curve_4', constant_offset=[0.0, -0.06, 0.0])
create_primitive(name='torus_4', primitive_type='torus', location=[0.0, 0.39, 0.0], scale=[0.02, 0.03, 0.02], rotation=[0.71, 0.0, 0.71, 0.0], apply=True)
array_1d(name='torus_4', fit_type='FIT_CURVE', fit_curve='curve_4', constant_offset=[0.0, -0.06, 0.0])
delete_obj(sub_name='curve_4')
join_obj(name='chain_4', seq_name=['torus_4', 'chain_4'])
# part_5: canopy
create_curve(name='curve_5', control_points=[[0.0, 0.44, 0.0], [0.1, 0.44, 0.0], [0.12, 0.47, 0.0], [0.11, 0.5, 0.0], [0.0, 0.5, 0.0]], handle_type=[1, 1, 1, 0, 0, 0, 0, 1, 1, 1], resolution=8)
bezier_rotation(name='canopy_5', profile_name='curve_5', rotation=[0.71, -0.71, 0.0, 0.0])
create_primitive(name='cylinder_5', primitive_type='cylinder', location=[0.0, 0.43, 0.0], scale=[0.02, 0.02, 0.02], rotation=[0.71, -0.71, 0.0, 0.0])
join_obj(name='canopy_5', seq_name=['cylinder_5', 'canopy_5'])
weld(name='canopy_5', merge_threshold=0.001)
get_faces()
