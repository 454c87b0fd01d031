"""Wangge (网格): grid management for street offices and communities."""

__version__ = "0.1.0"
