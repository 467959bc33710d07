"""Pure domain logic: lifecycles, rules and decisions. No I/O, no boto3, no environment."""
