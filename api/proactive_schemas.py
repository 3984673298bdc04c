"""A proactive offer as the site's page may show it before the chat is opened
(`GET /v1/customers/{id}/proactive-offer`): the words only, in the customer's language;
the rule, the trigger and the article id stay with agents."""

from __future__ import annotations

from pydantic import BaseModel, Field

from intent.language import Language


class ProactiveOfferPublic(BaseModel):
    text: str = Field(description="what the bot will say first when the chat is opened")
    language: Language
