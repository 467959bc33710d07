"""Mailed single-use decision links (posts; incidents and apologies use the same links)."""
