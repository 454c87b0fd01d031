// The caller's grids as plain outlines under a place picker (staff entering a matter, the registers), named on the
// map when there is no basemap. Loaded only by pickers that show grids, so the resident's report form (a first
// screen) does not carry it.
import L from '@/pages/grids/leaflet'
import { exportGrids } from '@/api/grids'
import type { MapView } from './basemap'

/** Draws the grids (only a community's when given); fits the map to them when `fit`. */
export async function drawGridOutlines(map: L.Map, view: MapView, communityId: number | null, fit: boolean): Promise<void> {
  const collection = await exportGrids(communityId ?? undefined)
  if (!collection.features.length) return
  const layer = L.geoJSON(collection as unknown as GeoJSON.FeatureCollection, {
    ...view.geoJsonOptions(),
    style: { color: '#1677ff', weight: 2, fillOpacity: 0.08 },
    interactive: false,
  }).addTo(map)
  if (fit) map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 17 })
  if (!view.tiled) (await import('./fallbackLayers')).labelGrids(layer, (f) => String(f.properties?.name ?? ''))
}
