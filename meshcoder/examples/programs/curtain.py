import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: curtain on a rod
# part_1: left panel
create_wave(name='wave_1', shift=0.0, frequency=2.5, altitude=0.02, segs=36, length=0.44)
create_curve(name='left panel_1', profile_name='wave_1', control_points=[[-0.25, 0.44, 0.0], [-0.25, -0.5, 0.0]], points_radius=[0.85, 1.0], handle_type=[1, 1, 1, 1], resolution=12, thickness=0.004)
# part_2: right panel
create_wave(name='wave_2', shift=0.2, frequency=2.5, altitude=0.02, segs=36, length=0.44)
create_curve(name='right panel_2', profile_name='wave_2', control_points=[[0.25, 0.44, 0.0], [0.25, -0.5, 0.0]], points_radius=[0.85, 1.0], handle_type=[1, 1, 1, 1], resolution=12, thickness=0.004)
# part_3: rings
create_primitive(name='rings_3', primitive_type='torus', location=[-0.43, 0.46, 0.0], scale=[0.02, 0.02, 0.02], rotation=[0.71, 0.0, 0.71, 0.0], apply=True)
array_2d(name='rings_3', count_1=8, constant_offset_1=[0.05, 0.0, 0.0], count_2=2, constant_offset_2=[0.5, 0.0, 0.0])
# part_4: rod
create_primitive(name='rod_4', primitive_type='cylinder', location=[0.0, 0.46, 0.0], scale=[0.01, 0.01, 0.47], rotation=[0.71, 0.0, 0.71, 0.0])
# part_5: finials
create_primitive(name='finials_5', primitive_type='uv_sphere', location=[-0.47, 0.46, 0.0], scale=[0.03, 0.03, 0.03], apply=True)
array_1d(name='finials_5', count=2, constant_offset=[0.94, 0.0, 0.0])
