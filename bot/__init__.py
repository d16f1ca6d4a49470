"""The Slack edge of the check-in bot: the only package that talks to Slack."""
