"""summaries.config.schema."""
