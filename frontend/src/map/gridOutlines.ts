// The caller's grids as plain outlines under a place picker (staff entering a matter, the registers), and one grid's
// outline under a matter's point (the matter page), named on the map when there is no basemap. Loaded only by the
// maps that show grids, so the resident's report form (a first screen) does not carry it.
import L from '@/pages/grids/leaflet'
import { api } from '@/api/client'
import { exportGrids } from '@/api/grids'
import type { Schemas } from '@/api/types'
import type { MapView } from './basemap'

const OUTLINE: L.PathOptions = { color: '#1677ff', weight: 2, fillOpacity: 0.08 }

/** Draws the grids (only a community's when given); fits the map to them when `fit`. */
export async function drawGridOutlines(map: L.Map, view: MapView, communityId: number | null, fit: boolean): Promise<void> {
  const collection = await exportGrids(communityId ?? undefined)
  if (!collection.features.length) return
  const layer = L.geoJSON(collection as unknown as GeoJSON.FeatureCollection, {
    ...view.geoJsonOptions(),
    style: OUTLINE,
    interactive: false,
  }).addTo(map)
  if (fit) map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 17 })
  if (!view.tiled) (await import('./fallbackLayers')).labelGrids(layer, (f) => String(f.properties?.name ?? ''))
}

/** Draws one grid's outline (one the caller may see: GET /grids/{id}) under what the map shows, named when there is
 * no basemap; nothing for a grid out of sight (404) or without a shape. Returns the layer drawn. */
export async function drawGridOutline(map: L.Map, view: MapView, gridId: number): Promise<L.GeoJSON | null> {
  const grid = await api.get<Schemas['GridOut']>(`/grids/${gridId}`)
  if (!grid.geometry || !map.getContainer().isConnected) return null
  const feature = { type: 'Feature', properties: { id: grid.id, name: grid.name }, geometry: grid.geometry }
  const layer = L.geoJSON(feature as unknown as GeoJSON.Feature, {
    ...view.geoJsonOptions(),
    style: { ...OUTLINE, className: 'grid-outline' },
    interactive: false,
  }).addTo(map)
  layer.bringToBack()
  if (!view.tiled) (await import('./fallbackLayers')).labelGrids(layer, () => grid.name)
  return layer
}
