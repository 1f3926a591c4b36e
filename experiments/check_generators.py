"""Per category: how many of N seeds execute and fit the canonical frame (tests/test_generators.py's rules).

Usage: python experiments/check_generators.py N [CATEGORY ...]   (a quick look before the 50-seed test)
"""

import sys
import time

import numpy as np

from meshcoder.data.categories import CATEGORIES, generate_program, generators
from meshcoder.geometry.mesh import TriangleMesh
from meshcoder.shapes.executor import ExecutorPool
from meshcoder.shapes.program import parse

n = int(sys.argv[1])
cats = sys.argv[2:] or [c for c in CATEGORIES if c in generators()]
with ExecutorPool(num_workers=2, timeout=60) as pool:
    for cat in cats:
        t = time.time()
        srcs = [generate_program(cat, s) for s in range(n)]
        progs = [parse(s) for s in srcs]
        res = pool.map(srcs)
        bad = []
        for i, (p, r) in enumerate(zip(progs, res)):
            if not r.ok:
                bad.append((i, r.reason[:80]))
                continue
            try:
                mesh = TriangleMesh.concatenate([r.parts[q.object_name] for q in p.parts])
            except KeyError as e:
                bad.append((i, f"missing {e}"))
                continue
            lo, hi = mesh.bounds
            ext = (hi - lo).max()
            cen = np.abs((lo + hi) / 2).max()
            if abs(ext - 1) > 0.02 or cen > 0.02:
                bad.append((i, f"extent {ext:.3f} centre {cen:.3f}"))
        print(f"{cat:24s} {n - len(bad):3d}/{n} {time.time() - t:5.1f}s {bad[:2]}", flush=True)
