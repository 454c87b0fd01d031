"""The basemap under every map: a preset chosen by the settings (Tianditu, AMap, any XYZ or WMTS template, or a
PMTiles file the app serves itself for networks with no internet). The server stores and answers WGS 84 only; the
descriptor tells the app the basemap's datum so that it converts for display (frontend/src/map/basemap.ts)."""
