import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: rubik's cube
# part_1: cubies
create_primitive(name='cubies_1', primitive_type='cube', location=[-0.33, -0.33, -0.33], scale=[0.16, 0.16, 0.16], apply=True)
bevel(name='cubies_1', width=0.02, segments=3)
array_3d(name='cubies_1', count_1=3, constant_offset_1=[0.33, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.33, 0.0], count_3=3, constant_offset_3=[0.0, 0.0, 0.33])
# part_2: bottom stickers
create_primitive(name='bottom stickers_2', primitive_type='cube', location=[-0.33, -0.49, -0.33], scale=[0.13, 0.01, 0.13], apply=True)
array_2d(name='bottom stickers_2', count_1=3, constant_offset_1=[0.33, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.0, 0.33])
# part_3: left stickers
create_primitive(name='left stickers_3', primitive_type='cube', location=[-0.49, -0.33, -0.33], scale=[0.01, 0.13, 0.13], apply=True)
array_2d(name='left stickers_3', count_1=3, constant_offset_1=[0.0, 0.33, 0.0], count_2=3, constant_offset_2=[0.0, 0.0, 0.33])
# part_4: front stickers
create_primitive(name='front stickers_4', primitive_type='cube', location=[-0.33, -0.33, 0.49], scale=[0.13, 0.13, 0.01], apply=True)
array_2d(name='front stickers_4', count_1=3, constant_offset_1=[0.33, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.33, 0.0])
# part_5: right stickers
create_primitive(name='right stickers_5', primitive_type='cube', location=[0.49, -0.33, -0.33], scale=[0.01, 0.13, 0.13], apply=True)
array_2d(name='right stickers_5', count_1=3, constant_offset_1=[0.0, 0.33, 0.0], count_2=3, constant_offset_2=[0.0, 0.0, 0.33])
# part_6: back stickers
create_primitive(name='back stickers_6', primitive_type='cube', location=[-0.33, -0.33, -0.49], scale=[0.13, 0.13, 0.01], apply=True)
array_2d(name='back stickers_6', count_1=3, constant_offset_1=[0.33, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.33, 0.0])
# part_7: top stickers
create_primitive(name='top stickers_7', primitive_type='cube', location=[-0.33, 0.49, -0.33], scale=[0.13, 0.01, 0.13], apply=True)
array_2d(name='top stickers_7', count_1=3, constant_offset_1=[0.33, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.0, 0.33])
