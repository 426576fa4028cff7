"""Process definitions: YAML files, their strict pydantic models, the loader and pure helpers."""
