"""The training loop's speed-ups change nothing that is learned: each fast path against the plain
implementation it replaced (kept here as the reference), on values and gradients, and a few training
steps from one seed through both giving the same loss curve.

* Scatter-max and gathering by rows of the flattened batch (``index_reduce``/``index_select``) against
  ``scatter_reduce``/``gather`` along the point axis, ties and padded points included.
* ``MeshCoder.forward(logits="labelled")`` (the output layer at labelled positions only, right-padded
  rows without a padding mask, one decoder call per row on a CPU) against the whole-sequence logits.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager, nullcontext
from functools import partial

import pytest
import torch

import meshcoder.models.point_encoder as point_encoder_module
import meshcoder.models.triplane as triplane_module
from meshcoder.models import MeshCoderConfig, build_meshcoder, collate
from meshcoder.models.scatter import scatter_max
from meshcoder.models.triplane import gather_planes, plane_cells
from meshcoder.training.module import MeshCoderModule

pytestmark = pytest.mark.usefixtures("single_torch_thread")

HEADER = "import bpy\nfrom math import radians, pi\nfrom bpy_lib import *\n\ndelete_all()\n"
PROGRAMS = [
    HEADER
    + "".join(
        f"create_primitive(name='part_{j}', primitive_type='{('cube', 'cylinder')[(i + j) % 2]}', "
        f"location=[{0.1 * i:.2f}, {-0.05 * j:.2f}, 0.3], scale=[0.2, 0.1, {0.05 * (i + 1):.2f}])\n"
        for j in range(1 + (3 * i) % 5)  # programs of very different lengths: rows carry padding
    )
    for i in range(8)
]


# ------------------------------------------------------------------ the references (the former code)
def reference_scatter_max(src, index, num_cells, backend="torch"):
    expanded = index.unsqueeze(-1).expand_as(src)
    out = src.new_zeros(src.shape[0], num_cells, src.shape[2])
    return out.scatter_reduce(1, expanded, src, reduce="amax", include_self=False)


def reference_gather_planes(pooled, cells):
    b, _, c = pooled.shape
    pooled = torch.cat([pooled[:, :-1], pooled.new_zeros(b, 1, c)], dim=1)
    picked = pooled.gather(1, cells.unsqueeze(-1).expand(b, cells.shape[1], c))
    return picked.view(b, 3, -1, c).sum(dim=1)


@contextmanager
def reference_pooling():
    """The shape tokenizer with the former scatter-max and gather."""
    saved = triplane_module.scatter_max, point_encoder_module.gather_planes
    triplane_module.scatter_max = reference_scatter_max
    point_encoder_module.gather_planes = reference_gather_planes
    try:
        yield
    finally:
        triplane_module.scatter_max, point_encoder_module.gather_planes = saved


def clouds(batch: int, n: int, seed: int, duplicates: bool = False):
    g = torch.Generator().manual_seed(seed)
    points = torch.rand(batch, n, 3, generator=g) - 0.5
    if duplicates:  # clouds drawn with replacement repeat points: equal features tie in the max
        points[:, n // 2 :] = points[:, : n - n // 2]
    normals = torch.nn.functional.normalize(torch.randn(batch, n, 3, generator=g), dim=-1)
    mask = torch.ones(batch, n, dtype=torch.bool)
    mask[0, n - n // 5 :] = False  # a padded cloud
    return points, normals, mask


# ------------------------------------------------------------------------------------ pooling
@pytest.mark.parametrize("duplicates", [False, True])
def test_pooling_and_gather_match_the_reference_with_gradients(duplicates):
    points, _, mask = clouds(3, 500, seed=0, duplicates=duplicates)
    r = 8
    cells = plane_cells(points, r, 0.6, mask)
    feats = torch.randn(3, 500, 6, generator=torch.Generator().manual_seed(1))
    if duplicates:
        feats[:, 250:] = feats[:, :250]
    upstream = torch.randn(3, 500, 6, generator=torch.Generator().manual_seed(2))
    results = []
    for scatter, gather in ((scatter_max, gather_planes), (reference_scatter_max, reference_gather_planes)):
        x = feats.clone().requires_grad_(True)
        pooled = scatter(x.repeat(1, 3, 1), cells, 3 * r * r + 1)
        out = gather(pooled, cells)
        (out * upstream).sum().backward()
        results.append((pooled.detach(), out.detach(), x.grad))
    for fast, ref in zip(*results):
        torch.testing.assert_close(fast, ref, rtol=0, atol=0)  # the same operations: bit for bit
    if duplicates:  # ties share the gradient (cloud 0's padded points get none)
        assert (results[0][2][1:, :250] == results[0][2][1:, 250:]).all()
        assert (results[0][2][0, 400:] == 0).all()


def test_shape_tokenizer_forward_and_gradients_match_the_reference():
    torch.manual_seed(0)
    model = build_meshcoder(MeshCoderConfig.tiny(), training_texts=PROGRAMS).shape_tokenizer
    points, normals, mask = clouds(2, 700, seed=3)
    grads = []
    for context in (nullcontext(), reference_pooling()):
        with context:
            model.zero_grad(set_to_none=True)
            out = model(points, normals, mask)
            out.square().mean().backward()
            grads.append((out.detach(), {n: p.grad.clone() for n, p in model.named_parameters()}))
    torch.testing.assert_close(grads[0][0], grads[1][0], rtol=0, atol=0)
    for name, g in grads[0][1].items():
        torch.testing.assert_close(g, grads[1][1][name], rtol=0, atol=0, msg=name)


# ------------------------------------------------------------------------------ labelled logits
@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    model = build_meshcoder(MeshCoderConfig.tiny(finetune="full"), training_texts=PROGRAMS)
    with torch.no_grad():  # weights wide enough that every path's logits differ from position to position
        for p in model.llm.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.15)
    return model


@contextmanager
def torch_threads(n: int):
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize(
    ("with_clouds", "reduction", "threads"),
    [(True, "mean", 1), (False, "mean", 1), (True, "sum", 1), (False, "sum", 1), (True, "mean", 2)],
)  # one thread: a decoder call per row; two: one call without a padding mask
def test_labelled_logits_give_the_sequence_loss_and_gradients(model, with_clouds, reduction, threads):
    with torch_threads(threads):
        check_labelled_against_sequence(model, with_clouds, reduction)


def check_labelled_against_sequence(model, with_clouds: bool, reduction: str) -> None:
    points, normals, mask = clouds(len(PROGRAMS), 300, seed=4)
    batch = collate(model.template, points, PROGRAMS, normals=normals, points_mask=mask).as_dict()
    if not with_clouds:
        batch.update(points=None, normals=None, points_mask=None)
    assert not batch["attention_mask"].all()  # rows are padded
    outs, grads = [], []
    for mode in ("labelled", "sequence"):
        model.zero_grad(set_to_none=True)
        out = model(**batch, logits=mode, loss_reduction=reduction)
        out.loss.backward()
        outs.append(out)
        grads.append({n: p.grad for n, p in model.named_parameters() if p.grad is not None})
    fast, full = outs
    assert fast.num_tokens == full.num_tokens == len(fast.targets) == len(fast.logits)
    torch.testing.assert_close(fast.loss, full.loss, rtol=1e-5, atol=1e-5)
    labels = batch["labels"][:, -full.logits.shape[1] :][:, 1:]
    picked = labels != -100
    torch.testing.assert_close(fast.targets, labels[picked])
    torch.testing.assert_close(fast.logits, full.logits[:, :-1][picked], rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(fast.predictions, fast.logits.argmax(-1))
    assert grads[0].keys() == grads[1].keys() and len(grads[0]) > 10
    for name, g in grads[0].items():
        # Float rounding only (the sums run in another order): within 1e-5 of the gradient's size.
        ref = grads[1][name]
        assert (g - ref).abs().max() <= 1e-5 * ref.abs().max(), name


def test_chunked_labelled_loss_matches_the_one_product(model, monkeypatch):
    """Past ``LOGITS_BYTES_AT_ONCE`` the labelled loss is chunked: same loss, gradients and predictions."""
    import meshcoder.models.meshcoder as meshcoder_module

    points, normals, mask = clouds(len(PROGRAMS), 300, seed=6)
    batch = collate(model.template, points, PROGRAMS, normals=normals, points_mask=mask).as_dict()
    outs, grads = [], []
    for limit in (meshcoder_module.LOGITS_BYTES_AT_ONCE, 0):
        monkeypatch.setattr(meshcoder_module, "LOGITS_BYTES_AT_ONCE", limit)
        model.zero_grad(set_to_none=True)
        out = model(**batch, logits="labelled")
        out.loss.backward()
        outs.append(out)
        grads.append({n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None})
    plain, chunked = outs
    assert plain.logits is not None and chunked.logits is None
    torch.testing.assert_close(chunked.loss, plain.loss, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(chunked.predictions, plain.predictions)
    assert grads[0].keys() == grads[1].keys()
    for name, g in grads[1].items():
        ref = grads[0][name]
        assert (g - ref).abs().max() <= 1e-5 * ref.abs().max(), name


def test_left_padded_batches_keep_their_padding_mask(model):
    points, normals, _ = clouds(3, 200, seed=5)
    batch = collate(model.template, points, PROGRAMS[:3], normals=normals, padding_side="left").as_dict()
    with torch.no_grad():
        fast = model(**batch, logits="labelled")
        full = model(**batch, logits="sequence")
    torch.testing.assert_close(fast.loss, full.loss, rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------------------ training steps
def reference_step(module: MeshCoderModule, batch: dict) -> torch.Tensor:
    """The training step before the speed-ups: whole-sequence logits, former pooling."""
    if batch.get("points") is None:
        inputs = {
            **module.model.template.token_batch(batch["programs"], len(batch["programs"])),
            "points": None,
        }
    else:
        inputs = collate(module.model.template, batch["points"], batch["programs"], normals=batch["normals"],
                         points_mask=batch["points_mask"]).as_dict()  # fmt: skip
    with reference_pooling():
        return module.model(**inputs, logits="sequence").loss


@pytest.mark.filterwarnings("ignore:.*self.log.*")  # the module logs; there is no trainer here
def test_training_steps_follow_the_reference_loss_curve():
    """Eight AdamW steps at the recipes' learning rate from one seed, text and cloud batches alternating:
    the training module's step and optimiser and the reference step and optimiser give the same
    losses."""
    torch.manual_seed(0)
    config = MeshCoderConfig.tiny(finetune="full")
    fast = MeshCoderModule(config, optimizer=partial(torch.optim.AdamW), lr_shape_tokenizer=2e-3,
                           lr_llm=2e-3, training_texts=PROGRAMS)  # fmt: skip
    reference = copy.deepcopy(fast)
    curves = []
    for module, step in ((fast, lambda m, b: m.shared_step(b, "train")["loss"]), (reference, reference_step)):
        if module is fast:  # the module's own optimiser: fused AdamW on a CPU
            optimizer = module.configure_optimizers()
            assert optimizer.defaults["fused"]
        else:  # the loop over parameters that the configs' plain AdamW gave before
            optimizer = torch.optim.AdamW(module.parameter_groups(), foreach=False)
        losses = []
        for k in range(8):
            rows = [(2 * k + i) % len(PROGRAMS) for i in range(4)]
            points, normals, mask = clouds(4, 400, seed=10 + k)
            batch = {"programs": [PROGRAMS[i] for i in rows]}
            if k % 2:
                batch.update(points=points, normals=normals, points_mask=mask)
            loss = step(module, batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach()))
        curves.append(losses)
    assert curves[0][-1] < curves[0][0] - 0.5  # it learns
    torch.testing.assert_close(torch.tensor(curves[0]), torch.tensor(curves[1]), rtol=1e-4, atol=1e-4)


def test_adam_is_fused_on_a_cpu_unless_the_config_chooses():
    torch.manual_seed(0)
    config = MeshCoderConfig.tiny(finetune="full")
    chosen = MeshCoderModule(config, optimizer=partial(torch.optim.AdamW), training_texts=PROGRAMS)
    assert chosen.configure_optimizers().defaults["fused"]
    chosen.optimizer_factory = partial(torch.optim.AdamW, foreach=True)
    optimizer = chosen.configure_optimizers()
    assert optimizer.defaults["foreach"] and not optimizer.defaults["fused"]
    chosen.optimizer_factory = partial(torch.optim.SGD, lr=0.1)  # no fused default for others
    assert not chosen.configure_optimizers().defaults.get("fused")
