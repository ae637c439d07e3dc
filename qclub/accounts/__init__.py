"""Accounts: how a person proves who they are (password, lock-out, API tokens,
second factor). Every way in — the login form, the admin login, the API token
endpoint — goes through the same functions here."""
