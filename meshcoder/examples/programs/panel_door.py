import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: panel door
# part_1: door slab
create_primitive(name='door slab_1', primitive_type='cube', location=[0.0, -0.02, 0.0], scale=[0.2, 0.48, 0.02])
create_primitive(name='cube_1', primitive_type='cube', location=[-0.09, -0.24, 0.02], scale=[0.06, 0.18, 0.01], apply=True)
array_2d(name='cube_1', count_1=2, constant_offset_1=[0.18, 0.0, 0.0], count_2=2, constant_offset_2=[0.0, 0.46, 0.0])
boolean_operation(name1='door slab_1', name2='cube_1', operation='DIFFERENCE')
# part_2: raised panels
create_rectangle(name='raised panels_2', width=0.08, length=0.3, location=[-0.09, -0.24, 0.02])
fill_grid(name='raised panels_2', thickness=0.006)
array_2d(name='raised panels_2', count_1=2, constant_offset_1=[0.18, 0.0, 0.0], count_2=2, constant_offset_2=[0.0, 0.46, 0.0])
# part_3: hinges
create_primitive(name='hinges_3', primitive_type='cylinder', location=[-0.2, -0.36, 0.02], scale=[0.01, 0.01, 0.04], rotation=[0.71, -0.71, 0.0, 0.0], apply=True)
array_1d(name='hinges_3', count=3, constant_offset=[0.0, 0.35, 0.0])
# part_4: door frame
create_square(name='square_4', length=0.04)
create_rectangle(name='door frame_4', profile_name='square_4', width=0.98, length=0.44, rotation_rad=0.5, location=[0.0, -0.01, 0.0], closed=False, fill_caps='both')
# part_5: rosettes
create_primitive(name='rosettes_5', primitive_type='cylinder', location=[0.16, -0.04, 0.02], scale=[0.02, 0.02, 0.01])
create_primitive(name='cylinder_5', primitive_type='cylinder', location=[0.16, -0.04, -0.02], scale=[0.02, 0.02, 0.01])
join_obj(name='rosettes_5', seq_name=['cylinder_5', 'rosettes_5'])
# part_6: keyhole plates
create_primitive(name='keyhole plates_6', primitive_type='cube', location=[0.16, -0.1, 0.02], scale=[0.01, 0.02, 0.01])
create_primitive(name='cube_6', primitive_type='cube', location=[0.16, -0.1, -0.02], scale=[0.01, 0.02, 0.01])
join_obj(name='keyhole plates_6', seq_name=['cube_6', 'keyhole plates_6'])
bevel(name='keyhole plates_6', width=0.4, segments=4)
# part_7: front lever
create_circle(name='circle_7', radius=0.01, scale=[0.8, 0.8, 1.0])
create_curve(name='front lever_7', profile_name='circle_7', control_points=[[0.16, -0.04, 0.025], [0.16, -0.04, 0.05], [0.15, -0.04, 0.06], [0.09, -0.042, 0.062]], handle_type=[1, 1, 1, 0, 0, 1, 1, 1], resolution=8)
make_caps(name='front lever_7', type='end')
# part_8: back lever
create_circle(name='circle_8', radius=0.01, scale=[0.8, 0.8, 1.0])
create_curve(name='back lever_8', profile_name='circle_8', control_points=[[0.16, -0.04, -0.025], [0.16, -0.04, -0.05], [0.15, -0.04, -0.06], [0.09, -0.042, -0.062]], handle_type=[1, 1, 1, 0, 0, 1, 1, 1], resolution=8)
make_caps(name='back lever_8', type='end')
