"""A test-only app with a case-like model: filed by a deputy with co-signers, assigned to a lead
agency and co-agencies (some handed back). Casework will have its real counterpart; this one keeps
the scoping mechanism honest about to-many paths until then."""
