"""From spec to analysis: block expansion, graph building and the checking passes."""
