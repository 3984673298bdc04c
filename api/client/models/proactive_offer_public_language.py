from enum import StrEnum


class ProactiveOfferPublicLanguage(StrEnum):
    EN = "en"
    ZH = "zh"

    def __str__(self) -> str:
        return str(self.value)
