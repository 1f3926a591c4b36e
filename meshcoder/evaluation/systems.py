"""The systems ``meshcoder-eval`` can run before scoring: a model folder and the retrieval baseline.

Each writes one program per record, ``<folder>/<id>.py``, which the evaluation then scores like any
predictions folder. Generation is one small function, :func:`generate_programs`, around
``model.generate``; decoding settings (constraints, sampling) pass through it untouched.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import numpy as np
from tqdm import tqdm

from meshcoder.evaluation.report import write_shapes_csv
from meshcoder.evaluation.retrieval import Match, RetrievalBaseline
from meshcoder.geometry.pointcloud import PointCloud

log = logging.getLogger(__name__)

MATCH_COLUMNS = ("id", "category", "match_id", "match_category", "distance")


def generate_programs(
    model,
    clouds: Iterable[PointCloud],
    batch_size: int,
    max_new_tokens: int | None,
    progress: bool = False,
    total: int | None = None,
    **settings: object,
) -> list[str]:
    """Program texts for ``clouds`` (read lazily, ``batch_size`` at a time) from a MeshCoder's
    ``generate``.

    Args:
        model: a :class:`meshcoder.models.MeshCoder` (or anything with its ``generate``).
        clouds: input clouds with normals (None normals: the model uses zeros).
        batch_size: clouds per ``generate`` call.
        max_new_tokens: the most tokens per program (None: the model's default).
        progress: show a progress bar (``total`` clouds, when known).
        settings: passed to ``model.generate`` as they are (``do_sample``, constraints, ...).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if max_new_tokens is not None:
        settings = {**settings, "max_new_tokens": int(max_new_tokens)}
    texts: list[str] = []
    with tqdm(total=total, desc="generating", unit="shape", disable=not progress) as bar:
        for chunk in _chunks(clouds, batch_size):
            points = [np.asarray(c.points, dtype=np.float32) for c in chunk]
            normals = [None if c.normals is None else np.asarray(c.normals, dtype=np.float32) for c in chunk]
            texts += model.generate(points, normals=normals, **settings)
            bar.update(len(chunk))
    return texts


def retrieve_programs(
    baseline: RetrievalBaseline,
    clouds: Iterable[PointCloud],
    progress: bool = False,
    total: int | None = None,
) -> list[Match]:
    """The nearest indexed program of each cloud."""
    return [
        baseline.query(cloud.points)
        for cloud in tqdm(clouds, total=total, desc="retrieving", unit="shape", disable=not progress)
    ]


def write_programs(folder: str | Path, ids: Sequence, texts: Sequence[str]) -> Path:
    """``<folder>/<id>.py`` per text. The folder is emptied first: it is the output of this run, and a
    file left from an earlier run would be scored as another sample."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for key, text in zip(ids, texts, strict=True):
        (folder / f"{key}.py").write_text(text)
    return folder


def write_matches(path: str | Path, records: Sequence[dict], matches: Sequence[Match]) -> Path:
    """A CSV of what retrieval answered for each record (its id, the match's id, category, distance)."""
    rows = [
        {
            "id": record["id"],
            "category": record.get("category", "unknown"),
            "match_id": match.id,
            "match_category": match.category,
            "distance": match.distance,
        }
        for record, match in zip(records, matches, strict=True)
    ]
    return write_shapes_csv(rows, path, MATCH_COLUMNS)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
