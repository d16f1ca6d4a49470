"""bot.cycle."""
