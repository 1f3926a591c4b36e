import bpy
from math import radians, pi
from bpy_lib import *

delete_all()

# object name: dinner fork
# part_1: fork
create_fork(name='fork_1', x_tip=0.24, thickness=0.016, n_cuts=3, x_anchors=[-0.5, -0.35, -0.1, 0.1, 0.22, 0.34, 0.5], y_anchors=[0.04, 0.04, 0.02, 0.01, 0.04, 0.05, 0.05], z_anchors=[0.03, 0.03, 0.01, -0.01, -0.02, -0.01, 0.02], rotation=[0.71, -0.71, 0.0, 0.0])
