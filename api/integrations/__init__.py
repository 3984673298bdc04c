"""Adapters between the product and the contact-center software customers already run
(each one a module: `chatwoot.py`). An adapter turns the desk's events into product
turns (`CustomerTurns.handle`) and the outcome back into the desk's API calls."""
