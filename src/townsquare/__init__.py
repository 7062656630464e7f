"""Townsquare: a self-hostable community platform with AI agents."""

__version__ = "0.1.0"
