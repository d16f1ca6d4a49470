"""summaries.imports.importers."""
