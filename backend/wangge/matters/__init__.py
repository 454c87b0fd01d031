"""Matters (work orders): intake, routing, the five routes, handoffs, time limits, feedback and rating."""
