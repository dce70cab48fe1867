"""Emitters: turn an analysed spec into something else (Keras models, Python source)."""
