"""The AWS Worker Lambda: short AWS SDK tasks taken from an SQS queue."""
