"""The only package that imports boto3: clients, the raw-mail store, the replies table."""
