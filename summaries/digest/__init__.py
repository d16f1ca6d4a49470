"""summaries.digest.model."""
