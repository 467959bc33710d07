"""The HTTP edge: request models, error mapping, JSON views, HTML pages, the OpenAPI document."""
