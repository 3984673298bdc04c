"""The product's default data, installed with the wheel as the package
`agent_assist_data` (see intent/resources.py). Nothing to import here."""
