"""The interactive editor (``layergraph edit``). Textual is imported only by the app modules."""
