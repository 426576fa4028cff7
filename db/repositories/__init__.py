"""Queries live here; routes and activities stay thin."""
