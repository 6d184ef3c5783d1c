"""Legal cases: charges, hearings, lawyers, verdicts and appeals, per person."""
