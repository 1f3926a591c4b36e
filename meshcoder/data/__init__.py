"""Procedural data: generators for object categories and part types, the dataset pipeline and readers."""
