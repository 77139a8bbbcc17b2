"""Public pages. Thin: they read and render; nothing here changes a record."""
