"""Preparedness 应急准备: supplies and equipment in reserve 应急物资储备 with their stock changes and alerts, and the
24-hour duty roster 值班表 of the stations and the streets."""
