"""HTTP request and response schemas, one module per resource (convert at the edges)."""
