import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: table spoon
# part_1: spoon
create_spoon(name='spoon_1', z_depth=0.05, thickness=0.014, x_anchors=[-0.5, -0.38, -0.1, 0.08, 0.16, 0.28, 0.4, 0.46, 0.49, 0.5], y_anchors=[0.04, 0.04, 0.02, 0.01, 0.05, 0.08, 0.08, 0.06, 0.04, 0.0], z_anchors=[0.03, 0.03, 0.01, 0.0, -0.01, -0.01, -0.01, -0.01, 0.0, 0.0], location=[0.0, 0.01, 0.0], rotation=[0.71, -0.71, 0.0, 0.0])
