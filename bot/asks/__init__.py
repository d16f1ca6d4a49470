"""Asks of leadership in Slack (SPEC 5.2): the clicks and modals leaders act with, and what
follows a change (the digest updated in place, the manager and an assignee told)."""
