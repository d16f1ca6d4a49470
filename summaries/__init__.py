"""The domain of monthly check-ins: configuration, storage and comparisons. No Slack here."""
