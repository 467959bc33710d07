"""Social networks behind the SocialNetwork port: its domain types and the X adapter."""
