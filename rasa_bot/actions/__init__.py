"""The bot's custom actions (rasa-sdk), served by `python serve_actions.py --actions actions`
(rasa_sdk's app on 127.0.0.1). They call the agent-assist API over HTTP for the customer's
real facts (api_client.py), for the customer the API signed for the conversation (trust.py)."""
