"""Orchestration only: one module per process plus the shared human-task helper."""
