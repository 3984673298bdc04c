"""The wheel's contents (the rest of the metadata is in pyproject.toml): the runtime
packages (not bench/ or tests/), the default data as the package `agent_assist_data`
(intent/resources.py finds it), Alembic's migrations and the web pages."""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["api", "api.*", "intent", "intent.*", "retrieval", "retrieval.*"]),
        "agent_assist_data",
    ],
    package_dir={"agent_assist_data": "data"},
    package_data={
        "api.web": ["static/*", "static/*/*"],
        "retrieval.migrations": ["script.py.mako", "versions/*.py"],
        "api.storage.migrations": ["script.py.mako", "versions/*.py"],
        "agent_assist_data": [
            "*.yml",
            "*.md",
            "background/*",
            "history/*",
            "intents/*",
            "intents/zh/*",
            "journey/*",
            "journey/*/*",  # the stage models in folders (journey/5a/)
            "licenses/*",
            "responses/*",
            "responses/zh/*",  # the Chinese response bank
            "retrieval/*",  # the multilingual encoder's language direction
            "wrapup/*",
        ],
    },
)
