"""summaries.store."""
