"""Pages of the web app (being built)."""
