"""Early warnings 预警 to chosen grids, with their staff's acknowledgements."""
