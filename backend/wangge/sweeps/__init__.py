"""Household sweeps 逐户排查 (issue 14): a campaign over chosen grids, one task per household, ticked off."""
