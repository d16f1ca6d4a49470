"""summaries.checkins.forms."""
