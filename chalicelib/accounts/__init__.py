"""Accounts, agencies and their publishing policy and approval rules."""
