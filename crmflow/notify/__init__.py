"""Notification delivery (DESIGN §3.7): channel clients (SMTP, chat webhooks) and message templates."""
