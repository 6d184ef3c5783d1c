"""The REST API: the same rules as the pages, for other systems."""
