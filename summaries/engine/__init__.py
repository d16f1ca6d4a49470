"""summaries.engine.cells."""
