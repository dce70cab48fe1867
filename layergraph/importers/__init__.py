"""Importers: turn models from other tools (Keras) into layergraph specs."""
