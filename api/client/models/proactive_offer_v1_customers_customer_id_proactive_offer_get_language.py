from enum import StrEnum


class ProactiveOfferV1CustomersCustomerIdProactiveOfferGetLanguage(StrEnum):
    EN = "en"
    ZH = "zh"

    def __str__(self) -> str:
        return str(self.value)
