"""HTTP routes of station."""

from fastapi import APIRouter

router = APIRouter()
