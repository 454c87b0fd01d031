// THE basemap module: every map of the app draws its tiles with addBasemap and passes the data it draws through the
// MapView it returns (toView for anything from the server, fromView for taps and drawn shapes, geoJsonOptions for
// GeoJSON layers). The server stores WGS 84 only; on a GCJ-02 basemap (AMap, or an xyz/wmts/pmtiles set so) the
// view shifts each point with src/map/coords.ts (shiftedView.ts). That part is fetched only for such a basemap, so a
// WGS 84 map costs its first screen nothing more: prepareBasemap(meta) (or loadMapMeta()) before addBasemap.
import L from '@/pages/grids/leaflet'
import { fetchMeta } from '@/api/meta'
import type { Meta } from '@/api/types'
import type { Datum, LatLon } from './coords'
import { basemapOf, layerOptions } from './basemapLogic'

export interface MapView {
  datum: Datum
  /** Whether any tiles are drawn (false: the map must show its own labels). */
  tiled: boolean
  toView(p: LatLon): LatLon
  fromView(p: LatLon): LatLon
  geoJsonOptions(): L.GeoJSONOptions
}

let shifted: typeof import('./shiftedView').shiftedView | null = null

/** Loads what the meta's basemap needs (the coordinate module for a datum other than WGS 84). */
export async function prepareBasemap(meta: Meta | null): Promise<void> {
  if (basemapOf(meta).datum !== 'wgs84') shifted ??= (await import('./shiftedView')).shiftedView
}

/** The server's meta, with the basemap's needs loaded. */
export async function loadMapMeta(): Promise<Meta> {
  const meta = await fetchMeta()
  await prepareBasemap(meta)
  return meta
}

/** The view of a map with no basemap (or none known yet): WGS 84 as is. */
export function plainView(tiled = false): MapView {
  return { datum: 'wgs84', tiled, toView: (p) => p, fromView: (p) => p, geoJsonOptions: () => ({}) }
}

/** Adds the meta's basemap layers to the map (none: no tiles) and returns how data meet it. */
export function addBasemap(map: L.Map, meta: Meta | null): MapView {
  const { datum, layers } = basemapOf(meta)
  // Tiles in another datum with data drawn unshifted would put every grid beside its streets: no tiles instead.
  if (datum !== 'wgs84' && !shifted) return plainView()
  for (const layer of layers) L.tileLayer(layer.url, layerOptions(layer)).addTo(map)
  return datum === 'wgs84' ? plainView(layers.length > 0) : shifted!(datum, layers.length > 0)
}
