"""Reconstruction, the product: a mesh or point cloud in, the best program out.

    from meshcoder.inference import Predictor

    with Predictor.load() as predictor:                       # the shipped model, a Blender pool
        prediction = predictor.predict("chair.glb", n=8, refine=30)
        prediction.program, prediction.metrics, prediction.candidates
        prediction.save("out/")                               # chair.py, chair.glb, chair.json

:mod:`meshcoder.inference.predict` holds the steps (read, normalise, sample N programs, run and repair
them, choose by Chamfer distance to the input, fall back, refine, score), :mod:`.repair` the repair,
:mod:`.refine` the test-time refinement of a program's numbers, :mod:`.report` the files a run writes
(``summary.csv``, ``report.html``), and :mod:`.inputs` how command-line inputs become named shapes.
"""

from meshcoder.inference.predict import DEFAULT_MODEL, Candidate, Prediction, PredictionError, Predictor

__all__ = ["DEFAULT_MODEL", "Candidate", "Prediction", "PredictionError", "Predictor"]
