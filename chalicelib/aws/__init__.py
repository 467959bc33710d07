"""Adapters to AWS: DynamoDB, SES, Secrets Manager, Step Functions, Comprehend."""
