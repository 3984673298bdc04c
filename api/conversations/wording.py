"""What the service itself says to customers (not the bot: its answers are in
rasa_bot/domain.yml), in each language it serves. A conversation's language is its latest
customer turn's (`intent/language.py`), else the widget's locale, else English."""

from __future__ import annotations

from typing import Literal

from api.conversations.store import Conversation
from intent.language import Language, as_language

Notice = Literal[
    "handoff",
    "hand_back",
    "close",
    "transfer",
    "transfer_queue",
    "welcome_back",
    "topic",
    "we_said",
    "help",
]

WORDING: dict[Notice, dict[Language, str]] = {
    "handoff": {
        "en": "I'm passing you to a member of our team, who will have our whole conversation. "
        "Please stay here: someone will be with you shortly.",
        "zh": "我这就为您转接人工客服，同事会看到我们之前的全部对话。请稍候，马上就有人来为您服务。",
    },
    "hand_back": {
        "en": "You are back with our assistant.",
        "zh": "您已回到智能助手。",
    },
    "close": {
        "en": "This conversation is closed. Thank you for contacting us.",
        "zh": "本次对话已结束，感谢您联系我们。",
    },
    # a transfer or a supervisor's reassignment: neutral, never the agents' internal note
    "transfer": {
        "en": "I'm passing you to a colleague who can help with this. "
        "They will have our whole conversation.",
        "zh": "我这就为您转接能处理此问题的同事，对方会看到我们之前的全部对话。",
    },
    "transfer_queue": {
        "en": "I'm passing you to a colleague who can help with this. "
        "Please stay here: someone will be with you shortly.",
        "zh": "我这就为您转接能处理此问题的同事。请稍候，马上就有人来为您服务。",
    },
    # the opening of a returning customer's chat (api/conversations/opening.py)
    "welcome_back": {"en": "Welcome back{name}!", "zh": "{name}，欢迎回来！"},
    "topic": {
        "en": "{when} you contacted us about {topic}.",
        "zh": "您{when}联系过我们，关于{topic}。",
    },
    "we_said": {"en": "We said: “{said}”", "zh": "我们当时说：“{said}”"},
    "help": {"en": "How can I help you today?", "zh": "今天有什么可以帮您？"},
}


def language_of(conv: Conversation) -> Language:
    return as_language(conv.language)


def say(notice: Notice, language: str | None, **values: str) -> str:
    text = WORDING[notice][as_language(language)]
    return text.format(**values) if values else text
