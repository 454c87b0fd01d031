// Pure helpers between the grid export (GeoJSON) and what the map draws: communities for the legend, bounds.
import type { GridFeatureCollection, Position } from '@/api/types'
import { communityColour } from './communityColour'

export interface LegendEntry {
  id: number
  name: string
  code: string
  colour: string
  gridCount: number
}

/** One entry per community that has grids in the collection, ordered by community code. */
export function communitiesOf(collection: GridFeatureCollection): LegendEntry[] {
  const byId = new Map<number, LegendEntry>()
  for (const feature of collection.features) {
    const p = feature.properties
    const entry = byId.get(p.community_id)
    if (entry) entry.gridCount += 1
    else
      byId.set(p.community_id, {
        id: p.community_id,
        name: p.community_name,
        code: p.community_code,
        colour: communityColour(p.community_id),
        gridCount: 1,
      })
  }
  return [...byId.values()].sort((a, b) => (a.code || a.name).localeCompare(b.code || b.name))
}

/** [[south, west], [north, east]] in Leaflet's lat/lon order, or null for an empty collection. */
export function boundsOf(collection: GridFeatureCollection): [[number, number], [number, number]] | null {
  let south = Infinity
  let west = Infinity
  let north = -Infinity
  let east = -Infinity
  const visit = (position: Position) => {
    const [lon, lat] = position
    if (lat < south) south = lat
    if (lat > north) north = lat
    if (lon < west) west = lon
    if (lon > east) east = lon
  }
  for (const feature of collection.features) {
    const g = feature.geometry
    if (!g) continue
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
    for (const polygon of polygons) for (const ring of polygon) for (const position of ring) visit(position)
  }
  return Number.isFinite(south) ? [[south, west], [north, east]] : null
}
