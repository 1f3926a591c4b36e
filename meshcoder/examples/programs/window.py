import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: window with louvred shutters
# part_1: sill
create_primitive(name='sill_1', primitive_type='cube', location=[0.0, -0.33, 0.0], scale=[0.29, 0.02, 0.07])
bevel(name='sill_1', width=0.3, segments=3)
# part_2: left shutter
create_square(name='square_2', length=0.03)
create_rectangle(name='left shutter_2', profile_name='square_2', width=0.22, length=0.64, location=[-0.38, 0.01, 0.0])
create_primitive(name='grid_2', primitive_type='grid', location=[-0.38, -0.28, 0.0], scale=[0.1, 0.02, 1.0], rotation=[0.92, -0.38, 0.0, 0.0], apply=True, x_subdivisions=1, y_subdivisions=1)
array_1d(name='grid_2', count=15, constant_offset=[0.0, 0.04, 0.0])
solidify(name='grid_2', thickness=0.005, offset=0)
join_obj(name='left shutter_2', seq_name=['grid_2', 'left shutter_2'])
# part_3: frame
create_rectangle(name='rectangle_3', width=0.05, length=0.08)
create_rectangle(name='frame_3', profile_name='rectangle_3', width=0.46, length=0.64, location=[0.0, 0.01, 0.0], bevel_width=0.04, bevel_segments=6)
# part_4: glass
create_primitive(name='glass_4', primitive_type='grid', location=[0.0, 0.01, 0.0], scale=[0.22, 0.31, 1.0], x_subdivisions=1, y_subdivisions=1)
solidify(name='glass_4', thickness=0.004, offset=0)
# part_5: mullions
create_primitive(name='mullions_5', primitive_type='cube', location=[0.0, 0.01, 0.0], scale=[0.01, 0.31, 0.02])
create_primitive(name='cube_5', primitive_type='cube', location=[0.0, 0.05, 0.0], scale=[0.22, 0.01, 0.02])
boolean_operation(name1='mullions_5', name2='cube_5', operation='UNION')
# part_6: right shutter
create_square(name='square_6', length=0.03)
create_rectangle(name='right shutter_6', profile_name='square_6', width=0.22, length=0.64, location=[0.38, 0.01, 0.0])
create_primitive(name='grid_6', primitive_type='grid', location=[0.38, -0.28, 0.0], scale=[0.1, 0.02, 1.0], rotation=[0.92, -0.38, 0.0, 0.0], apply=True, x_subdivisions=1, y_subdivisions=1)
array_1d(name='grid_6', count=15, constant_offset=[0.0, 0.04, 0.0])
solidify(name='grid_6', thickness=0.005, offset=0)
join_obj(name='right shutter_6', seq_name=['grid_6', 'right shutter_6'])
