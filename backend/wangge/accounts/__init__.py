"""Accounts, sessions, roles and the scopes that limit what each user sees."""
