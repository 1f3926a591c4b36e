"""Training works: a tiny model overfits a handful of real objects (generated, executed, sampled), then
writes, from those same clouds, programs that run and land close to their targets."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from meshcoder.data.dataset import load_cloud, load_records, resolve_cloud_path
from meshcoder.data.pipeline import DatagenConfig, run_datagen
from meshcoder.evaluation.loading import from_execution
from meshcoder.geometry.protocol import MetricProtocol
from meshcoder.models import MeshCoderConfig, build_meshcoder, collate

CATEGORIES = ["Bowl", "Plate", "Bottle"]
POINTS = 1024
STEPS = 500


@pytest.mark.slow
@pytest.mark.blender
def test_overfit_a_handful_of_objects(tmp_path, pool, single_torch_thread):
    root = tmp_path / "few"
    run_datagen(
        DatagenConfig(out_dir=root, generators=CATEGORIES, n_per_category=1, progress=False), echo=False
    )
    records = [r for split in ("train", "val", "test") for r in load_records(root, split)]
    assert len(records) == len(CATEGORIES)
    rng = np.random.default_rng(0)
    clouds, normals, programs = [], [], []
    for record in records:
        points, normal = load_cloud(resolve_cloud_path(root, record["pcd_path"][0]))
        keep = rng.choice(len(points), POINTS, replace=False)
        clouds.append(torch.from_numpy(points[keep]).float())
        normals.append(torch.from_numpy(normal[keep]).float())
        programs.append(record["script"])

    torch.manual_seed(0)
    config = MeshCoderConfig.tiny(finetune="full", tokenizer="program")
    config = config.replace(llm=config.llm.replace(tiny=config.llm.tiny.replace(hidden_size=128)))
    model = build_meshcoder(config)
    # 1e-3: at 3e-3 the loss spiked near step 500 on one draw of the generators (0.007 -> 0.12) and the
    # three answers collapsed to one program.
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = collate(model.template, clouds, programs, normals=normals)
    model.train()
    for _ in range(STEPS):
        loss = model(**batch.as_dict()).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert float(loss) < 0.02, f"the model did not fit 3 programs in {STEPS} steps (loss {float(loss):.3f})"

    texts = model.generate(
        clouds, normals=normals, max_new_tokens=max(len(model.template.encode(p)) for p in programs) + 20
    )
    predictions = pool.map(texts)
    references = pool.map(programs)
    protocol = MetricProtocol(fast=True)
    close = []
    for record, prediction, reference in zip(records, predictions, references):
        assert reference.ok, f"{record['category']}: the generated reference failed: {reference.error}"
        if not prediction.ok:
            close.append(False)
            continue
        metrics = protocol.score(from_execution(prediction).geometry, from_execution(reference).geometry)
        # Close: a digit off in a thin plate's profile moves CD by about 1e-2, so the bound is a few
        # times the paper's PLAD figure (1.87 x10^-2), far below an unrelated shape (~30 x10^-2).
        close.append(metrics.cd < 3e-2 and metrics.iou > 0.15)
    # Telling three clouds apart hangs on the few tokens where the programs part ways (the object name);
    # after a few hundred steps one of them is occasionally still answered with a neighbour's program,
    # or with a splice of two that does not run (a Bowl whose second part continues the Bottle's arc).
    errors = [f"{r['category']}: {p.error}" for r, p in zip(records, predictions) if not p.ok]
    assert sum(close) >= 2, f"close to their targets: {close}; errors: {errors}\n" + "\n\n".join(texts)
