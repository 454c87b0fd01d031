"""HTTP routes of patrols, coverage and the daily log."""

from fastapi import APIRouter

router = APIRouter()
