"""Lists in and out: imports through the matcher, and audited exports."""
