"""Shape tokenizer: sizes, masking of padded points, gradients, scatter backends, parameter count."""

from __future__ import annotations

import pytest
import torch

from meshcoder.models.attention import MultiHeadAttention, xformers_available
from meshcoder.models.scatter import scatter_max, torch_scatter_available
from meshcoder.models.shape_tokenizer import ShapeTokenizer, ShapeTokenizerConfig, count_parameters
from meshcoder.models.triplane import gather_planes, plane_cells, planes_to_image, pool_planes

pytestmark = pytest.mark.usefixtures("single_torch_thread")


@pytest.fixture(scope="module")
def tokenizer() -> ShapeTokenizer:
    torch.manual_seed(0)
    return ShapeTokenizer(ShapeTokenizerConfig.tiny(output_dim=24)).eval()


def cloud(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    pts = torch.rand(n, 3, generator=g) - 0.5
    nrm = torch.nn.functional.normalize(torch.randn(n, 3, generator=g), dim=-1)
    return pts, nrm


def test_output_shape_and_normals_default(tokenizer):
    pts, nrm = cloud(400, 0)
    out = tokenizer(pts[None], nrm[None])
    assert out.shape == (1, 8, 24)
    assert torch.isfinite(out).all()
    # normals=None means zeros, as the spec says
    torch.testing.assert_close(tokenizer(pts[None]), tokenizer(pts[None], torch.zeros_like(nrm)[None]))
    assert not torch.allclose(out, tokenizer(pts[None]))


def test_padded_points_do_not_change_the_output(tokenizer):
    a, na = cloud(300, 1)
    b, nb = cloud(500, 2)
    alone_a = tokenizer(a[None], na[None])
    alone_b = tokenizer(b[None], nb[None])
    # pad a to 500 points with junk far away (and NaN) that would change every pooled plane if used
    junk = torch.full((200, 3), 0.45)
    junk[0] = float("nan")
    points = torch.stack([torch.cat([a, junk]), b])
    normals = torch.stack([torch.cat([na, torch.ones(200, 3)]), nb])
    mask = torch.ones(2, 500, dtype=torch.bool)
    mask[0, 300:] = False
    batched = tokenizer(points, normals, mask)
    torch.testing.assert_close(batched[0], alone_a[0], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(batched[1], alone_b[0], atol=1e-5, rtol=1e-5)
    # and the junk would matter if it were not masked
    unmasked = tokenizer(torch.nan_to_num(points), normals)
    assert not torch.allclose(unmasked[0], alone_a[0], atol=1e-4)


def test_gradients_reach_every_parameter():
    torch.manual_seed(0)
    model = ShapeTokenizer(ShapeTokenizerConfig.tiny(output_dim=16))
    pts, nrm = cloud(256, 3)
    model(pts[None], nrm[None]).square().sum().backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert missing == []


def test_gradient_checkpointing_gives_the_same_gradients():
    torch.manual_seed(0)
    plain = ShapeTokenizer(ShapeTokenizerConfig.tiny(output_dim=16))
    ckpt = ShapeTokenizer(ShapeTokenizerConfig.tiny(output_dim=16).replace(gradient_checkpointing=True))
    ckpt.load_state_dict(plain.state_dict())
    pts, nrm = cloud(256, 4)
    for m in (plain, ckpt):
        m(pts[None], nrm[None]).sum().backward()
    for (name, p), q in zip(plain.named_parameters(), ckpt.parameters()):
        torch.testing.assert_close(p.grad, q.grad, msg=name)


def test_paper_config_parameter_count_on_meta_device():
    config = ShapeTokenizerConfig.paper(output_dim=2048)  # Llama-3.2-1B's width
    with torch.device("meta"):
        model = ShapeTokenizer(config)
    assert config.num_image_tokens == 192
    n = count_parameters(model)
    assert 0.25e9 <= n <= 0.40e9, n
    assert next(model.parameters()).is_meta


def test_scatter_max_matches_a_loop():
    g = torch.Generator().manual_seed(0)
    src = torch.randn(2, 50, 4, generator=g)
    index = torch.randint(0, 7, (2, 50), generator=g)
    out = scatter_max(src, index, 9, backend="torch")
    expected = torch.zeros(2, 9, 4)
    for b in range(2):
        for cell in range(9):
            rows = src[b, index[b] == cell]
            if len(rows):
                expected[b, cell] = rows.max(dim=0).values
    torch.testing.assert_close(out, expected)
    assert (out[:, 7:] == 0).all()  # cells no row reaches stay zero


@pytest.mark.skipif(not torch_scatter_available(), reason="torch-scatter is not installed")
def test_torch_scatter_backend_agrees_with_torch():
    g = torch.Generator().manual_seed(1)
    src = torch.randn(3, 400, 8, generator=g)
    index = torch.randint(0, 64, (3, 400), generator=g)
    torch.testing.assert_close(
        scatter_max(src, index, 70, backend="torch_scatter"), scatter_max(src, index, 70, backend="torch")
    )
    torch.manual_seed(0)
    model = ShapeTokenizer(ShapeTokenizerConfig.tiny().replace(scatter_backend="torch")).eval()
    other = ShapeTokenizer(ShapeTokenizerConfig.tiny().replace(scatter_backend="torch_scatter")).eval()
    other.load_state_dict(model.state_dict())
    pts, nrm = cloud(300, 5)
    torch.testing.assert_close(model(pts[None], nrm[None]), other(pts[None], nrm[None]))


def test_triplane_layout_puts_each_plane_side_by_side():
    r = 4
    # one point at x=+, y=-, z=0 cells: x -> 3, y -> 0, z -> 2 with bound 0.5
    xyz = torch.tensor([[[0.4, -0.4, 0.1]]])
    cells = plane_cells(xyz, r, 0.5)
    feature = torch.tensor([[[1.0, 2.0]]])
    pooled = pool_planes(feature, cells, r, backend="torch")
    image = planes_to_image(pooled, r)
    assert image.shape == (1, 2, r, 3 * r)
    nonzero = {tuple(i) for i in image[0, 0].nonzero().tolist()}
    # xy plane: row x=3, col y=0; yz: row y=0, col z=2 (+4); zx: row z=2, col x=3 (+8)
    assert nonzero == {(3, 0), (0, 6), (2, 11)}
    assert image[0, 1, 3, 0] == 2.0
    # gathering back sums the three planes' cells
    torch.testing.assert_close(gather_planes(pooled, cells), 3 * feature)


def test_masked_points_go_to_the_dump_cell():
    xyz = torch.zeros(1, 3, 3)
    mask = torch.tensor([[True, False, True]])
    cells = plane_cells(xyz, 8, 0.5, mask).view(1, 3, 3)
    assert (cells[:, :, 1] == 3 * 64).all()
    assert (cells[:, :, 0] < 3 * 64).all()


def test_config_errors_say_what_to_change():
    with pytest.raises(ValueError, match="multiple of patch_size"):
        ShapeTokenizerConfig(plane_resolution=100, patch_size=16)
    with pytest.raises(ValueError, match="scatter_backend"):
        ShapeTokenizerConfig(scatter_backend="cuda")
    with pytest.raises(ValueError, match="no field"):
        ShapeTokenizerConfig.from_dict({"plane_res": 3})
    model = ShapeTokenizer(ShapeTokenizerConfig.tiny())
    with pytest.raises(ValueError, match="B x N x 3"):
        model(torch.zeros(10, 3))
    with pytest.raises(ValueError, match="no real point"):
        model(torch.zeros(1, 10, 3), points_mask=torch.zeros(1, 10, dtype=torch.bool))


def test_config_round_trips_through_a_dict():
    config = ShapeTokenizerConfig.tiny(output_dim=12)
    assert ShapeTokenizerConfig.from_dict(config.to_dict()) == config


def test_xformers_backend_refuses_cpu_tensors():
    attn = MultiHeadAttention(16, 2, backend="xformers")
    with pytest.raises(RuntimeError, match="sdpa"):
        attn(torch.randn(1, 4, 16))


@pytest.mark.gpu
@pytest.mark.skipif(not xformers_available(), reason="xformers is not installed")
def test_xformers_matches_sdpa_on_cuda():
    torch.manual_seed(0)
    sdpa = MultiHeadAttention(64, 4, context_dim=32, backend="sdpa").cuda()
    xf = MultiHeadAttention(64, 4, context_dim=32, backend="xformers").cuda()
    xf.load_state_dict(sdpa.state_dict())
    x, ctx = torch.randn(2, 10, 64, device="cuda"), torch.randn(2, 30, 32, device="cuda")
    torch.testing.assert_close(xf(x, ctx), sdpa(x, ctx), atol=1e-4, rtol=1e-4)
