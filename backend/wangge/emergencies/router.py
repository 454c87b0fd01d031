"""HTTP routes of emergencies."""

from fastapi import APIRouter

router = APIRouter()
