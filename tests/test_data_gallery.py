"""The generator gallery: one strip of seeds per generator and an index that shows them."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.mark.blender
@pytest.mark.slow
def test_gallery_strips_and_index(tmp_path):
    from PIL import Image

    from meshcoder.data.gallery import make_gallery

    out = make_gallery(tmp_path, seeds=2, names=["Primitive", "Boolean"], resolution=64, workers=1)
    for name in ("Primitive", "Boolean"):
        with Image.open(out / f"{name}.png") as image:
            assert image.size == (128, 64)
            # A rendered object, not an empty background: the picture is not one flat colour.
            assert len(np.unique(np.asarray(image.convert("L")))) > 10
    index = (out / "index.md").read_text()
    assert "![Primitive](Primitive.png)" in index and "![Boolean](Boolean.png)" in index
    with pytest.raises(KeyError, match="no generator"):
        make_gallery(tmp_path, names=["NoSuchThing"])
