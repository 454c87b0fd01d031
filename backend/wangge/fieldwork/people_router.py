"""HTTP routes of grid teams, leaders, A/B posts, leaves, shifts and home visits."""

from fastapi import APIRouter

router = APIRouter()
