"""Health, the OpenAPI document and who-am-I."""
