"""The team's web app (X4): sign-in by mailed link, sessions, and server-rendered pages
over the same use cases as the API."""
