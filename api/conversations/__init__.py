"""Conversations: the ownership state machine, turns, hand-off policy and the bot seam.
Domain code only: no HTTP here (errors are mapped in `api/errors.py`)."""
