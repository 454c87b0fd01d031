"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): city apps and hotline bridges list our categories as
services, post requests that become matters, and follow their status."""
