"""What every capability shares: clock, errors, people and roles, audit entries, settings, ports."""
