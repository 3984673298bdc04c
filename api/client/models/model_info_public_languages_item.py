from enum import StrEnum


class ModelInfoPublicLanguagesItem(StrEnum):
    EN = "en"
    ZH = "zh"

    def __str__(self) -> str:
        return str(self.value)
