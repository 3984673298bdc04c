from enum import StrEnum


class OrderUpsertStatus(StrEnum):
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    PAID = "paid"
    PLACED = "placed"
    REFUNDED = "refunded"
    RETURNED = "returned"
    SHIPPED = "shipped"

    def __str__(self) -> str:
        return str(self.value)
