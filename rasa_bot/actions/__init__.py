"""The bot's custom actions (rasa-sdk), served by `rasa run actions --actions actions`.
They call the agent-assist API over HTTP for the customer's real facts (api_client.py)."""
