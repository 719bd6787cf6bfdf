"""The casework JSON API under /api/v1/: the same scoping and the same services as the pages."""

from ninja import Router

router = Router(tags=["casework"])
