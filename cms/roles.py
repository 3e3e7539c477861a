"""Names of the roles the whole project shares, declared once."""

MANAGERS_GROUP = "PPIE managers"
