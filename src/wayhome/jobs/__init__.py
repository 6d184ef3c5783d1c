"""Long work (imports, linkage, notifications) run off the request; on a real queue
when one is configured, in-process when none is."""
