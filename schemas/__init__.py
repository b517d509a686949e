"""Contracts of the pipeline: the site registry, the taxonomy of required categories, table schemas."""
