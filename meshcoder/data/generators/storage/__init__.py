"""Storage furniture and cabinet hardware: CellShelf, LargeShelf, SimpleBookcase, TriangleShelf and
Hardware, drawn with :mod:`~meshcoder.data.generators.storage.sketch` (shared with the appliances)."""

from meshcoder.data.generators.storage import bookcase, cell_shelf, hardware, large_shelf, triangle_shelf

__all__ = ["bookcase", "cell_shelf", "hardware", "large_shelf", "triangle_shelf"]
