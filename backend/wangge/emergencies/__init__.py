"""Emergencies 突发事件: incidents with timed reports, tiered response with muster times, plans and drills."""
