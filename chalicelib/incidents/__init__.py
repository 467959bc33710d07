"""Incidents: lifecycle, delete-or-keep and hack signs, the playbook's steps, the
apology, the postmortem and the watcher."""
