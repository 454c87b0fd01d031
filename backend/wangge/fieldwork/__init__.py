"""Field work: grid teams and leaders, A/B posts with leave cover, shifts, patrols with GPS tracks, daily logs,
and door-to-door visits to residents in special groups."""
