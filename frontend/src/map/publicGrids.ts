// The public grids with their names (GET /public/grids, no account) under a resident's place picker: the report
// page and who is my grid 亮证 draw them the same way, readable with no tile server. Loaded on demand by those pages
// (once the picker's map is `ready`), so neither first screen carries it before the map is there.
import L from '@/pages/grids/leaflet'
import { api } from '@/api/client'
import type { components } from '@/api/schema'
import type { MapView } from './basemap'
import './publicGrids.css'

type PublicGrid = components['schemas']['PublicGridOut']

/** Draws every public grid with its name (as text: a name is what someone typed); fits the map to them when `fit`. */
export async function drawPublicGrids(map: L.Map, view: MapView, fit: boolean): Promise<L.GeoJSON | null> {
  const grids = await api.get<PublicGrid[]>('/public/grids', { auth: false })
  if (!grids.length || !map.getContainer().isConnected) return null
  const features = grids.map((g) => ({ type: 'Feature', properties: { name: g.name }, geometry: g.geometry }))
  const layer = L.geoJSON({ type: 'FeatureCollection', features } as unknown as GeoJSON.FeatureCollection, {
    ...view.geoJsonOptions(),
    style: { color: '#1677ff', weight: 2, fillOpacity: 0.08, className: 'public-grid' },
    interactive: false,
    onEachFeature: (f, l) => {
      const label = document.createElement('span')
      label.textContent = String(f.properties?.name ?? '')
      l.bindTooltip(label, { permanent: true, direction: 'center', className: 'grid-label' })
    },
  }).addTo(map)
  if (fit) map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 17 })
  return layer
}
