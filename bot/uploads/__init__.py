"""Figures sent to the bot as a spreadsheet file in its direct messages."""
