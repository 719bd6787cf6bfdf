from ninja import Field
from ninja.pagination import LimitOffsetPagination

# Beyond a database's 64-bit integers an offset fails inside the driver; no list comes near this.
MAX_OFFSET = 10**9


class BoundedPagination(LimitOffsetPagination):
    """The API's pagination (NINJA_PAGINATION_CLASS): limit and offset both bounded."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
