"""The shape language: programs, validation, and execution in sandboxed Blender workers.

Importing this package never imports Blender; ``meshcoder.shapes.bpy_lib`` runs only inside workers.
"""
