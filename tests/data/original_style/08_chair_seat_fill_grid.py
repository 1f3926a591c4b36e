import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: kitchen chair
# part_1: leg
create_primitive(name='leg_1', primitive_type='cube', location=[-0.21, -0.28, 0.17], scale=[0.02, 0.22, 0.02])
array_2d(name='leg_1', count_1=2, constant_offset_1=[0.42, 0.0, 0.0], count_2=2, constant_offset_2=[0.0, 0.0, -0.37])
# part_2: back
create_primitive(name='back_2', primitive_type='cube', location=[0.0, 0.25, -0.21], scale=[0.22, 0.2, 0.015])
# part_3: seat
create_curve(name='seat_3', control_points=[[-0.0, -0.05, -0.23], [-0.24, -0.05, -0.23], [-0.24, -0.05, 0.09], [-0.24, -0.05, 0.19], [-0.0, -0.05, 0.24], [0.24, -0.05, 0.19], [0.24, -0.05, 0.09], [0.24, -0.05, -0.23], [-0.0, -0.05, -0.23]], handle_type=[0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
fill_grid(name='seat_3', thickness=0.0669)
