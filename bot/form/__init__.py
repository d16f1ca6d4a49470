"""bot.form."""
