"""summaries.lookup.answer."""
