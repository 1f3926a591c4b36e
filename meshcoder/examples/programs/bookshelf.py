import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: bookshelf
# part_1: plinth
create_primitive(name='plinth_1', primitive_type='cube', location=[0.0, -0.49, 0.08], scale=[0.28, 0.01, 0.01])
# part_2: side panels
create_primitive(name='side panels_2', primitive_type='cube', location=[-0.29, 0.0, 0.0], scale=[0.01, 0.5, 0.1], apply=True)
array_1d(name='side panels_2', count=2, constant_offset=[0.58, 0.0, 0.0])
# part_3: shelves
create_primitive(name='shelves_3', primitive_type='cube', location=[0.0, -0.47, 0.01], scale=[0.28, 0.01, 0.09], apply=True)
array_1d(name='shelves_3', count=5, constant_offset=[0.0, 0.24, 0.0])
# part_4: books
create_primitive(name='books_4', primitive_type='cube', location=[-0.25, -0.37, 0.01], scale=[0.01, 0.09, 0.07], apply=True)
array_2d(name='books_4', count_1=10, constant_offset_1=[0.03, 0.0, 0.0], count_2=3, constant_offset_2=[0.0, 0.24, 0.0])
# part_5: leaning book
create_primitive(name='leaning book_5', primitive_type='cube', location=[0.06, 0.35, 0.01], scale=[0.01, 0.09, 0.07], rotation=[0.98, 0.0, 0.0, 0.2])
# part_6: stacked books
create_primitive(name='stacked books_6', primitive_type='cube', location=[0.16, -0.45, 0.01], scale=[0.09, 0.01, 0.07], apply=True)
bevel(name='stacked books_6', width=0.01, segments=2)
array_2d(name='stacked books_6', count_1=4, constant_offset_1=[0.0, 0.02, 0.0], count_2=2, constant_offset_2=[0.0, 0.48, 0.0])
# part_7: back panel
create_primitive(name='back panel_7', primitive_type='cube', location=[0.0, 0.0, -0.09], scale=[0.29, 0.5, 0.01])
