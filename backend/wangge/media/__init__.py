"""Photos attached to matters: checking uploads, reading when and where they were taken, and stripped copies."""
