"""The Rasa bot: its project (config, domain, data, custom components and actions, run in
.venv-rasa) and `stack.py`, the supervisor that trains it and serves it with the API."""
