# The bot's action server: the official rasa/rasa-sdk image (the version of
# rasa_bot/requirements.lock) plus the one package the actions import that it lacks:
# aiohttp (rasa_bot/actions/api_client.py), at the version the Rasa virtualenv was tested
# with (rasa_bot/requirements.lock as constraints, its dependencies too). The image holds
# no code: compose.yaml mounts rasa_bot/ at /bot. Build context: the repository root.
FROM rasa/rasa-sdk:3.6.2

USER root
COPY rasa_bot/requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir -c /tmp/requirements.lock aiohttp \
    && rm /tmp/requirements.lock
USER 1001
