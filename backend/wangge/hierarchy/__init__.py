"""The administrative hierarchy (district → street → community → grid), departments, and what grids hold."""
