"""Built-in layer types, one module per family (registered via entry points)."""
