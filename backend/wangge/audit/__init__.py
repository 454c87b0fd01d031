"""The audit log of administrative changes: who changed what, when, before and after."""
