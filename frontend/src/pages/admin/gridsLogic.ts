// The grid editor's rules that need no map: grid codes, the shapes sent to the API, the coverage figures.

/** A grid's code: 15 digits, the community's 12 and three of its own (as the API checks). */
export function isGridCode(code: string, communityCode: string): boolean {
  return /^\d{15}$/.test(code) && code.startsWith(communityCode)
}

/** The first free grid code of the community (its code + 001, 002, …), or the community's code when all are taken. */
export function nextGridCode(communityCode: string, taken: string[]): string {
  const used = new Set(taken)
  for (let n = 1; n <= 999; n++) {
    const code = communityCode + String(n).padStart(3, '0')
    if (!used.has(code)) return code
  }
  return communityCode
}

export interface LatLngLike {
  lat: number
  lng: number
}

// Seven decimals of a degree: about a centimetre, as the demo data and the import keep them.
const round = (x: number) => Math.round(x * 1e7) / 1e7

function position(p: LatLngLike): [number, number] {
  return [round(p.lng), round(p.lat)]
}

function closedRing(ring: LatLngLike[]): [number, number][] {
  const points: [number, number][] = []
  for (const p of ring.map(position)) {
    const last = points[points.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) points.push(p)
  }
  const first = points[0]
  const last = points[points.length - 1]
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) points.push([first[0], first[1]])
  return points
}

/** A GeoJSON Polygon from drawn rings, the outer one first (Leaflet gives them open and may repeat a point where
 * two clicks fell). */
export function polygonOf(rings: LatLngLike[][]): GeoJSON.Polygon {
  return { type: 'Polygon', coordinates: rings.map(closedRing) }
}

/** Each point moved onto the nearest of `corners` within `tolerance` degrees. Geoman snaps a click to the closest
 * outline, which at a corner where the boundary and a grid meet may be the boundary's long edge a few metres from the
 * grid's corner: the sliver that would leave is closed by landing on the corner itself. */
export function snapToCorners<T extends LatLngLike>(points: T[], corners: LatLngLike[], tolerance: number): LatLngLike[] {
  return points.map((p) => {
    let best: LatLngLike = p
    let bestDistance = tolerance
    for (const c of corners) {
      const d = Math.hypot(c.lat - p.lat, c.lng - p.lng)
      if (d <= bestDistance) {
        best = c
        bestDistance = d
      }
    }
    return { lat: best.lat, lng: best.lng }
  })
}

/** The corners of GeoJSON polygons (Polygon or MultiPolygon), as points to snap to. */
export function cornersOf(geometries: unknown[]): LatLngLike[] {
  const out: LatLngLike[] = []
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return
    if (typeof value[0] === 'number' && typeof value[1] === 'number') out.push({ lng: value[0], lat: value[1] })
    else value.forEach(walk)
  }
  for (const g of geometries) walk((g as { coordinates?: unknown } | null)?.coordinates)
  return out
}

/** A GeoJSON LineString from a drawn line. */
export function lineOf(points: LatLngLike[]): GeoJSON.LineString {
  return { type: 'LineString', coordinates: points.map(position) }
}

/** The share of the community its grids cover, in whole percent (0 for a community without area). */
export function coveredPercent(coverage: { community_area_m2: number; covered_area_m2: number }): number {
  if (coverage.community_area_m2 <= 0) return 0
  return Math.min(100, Math.floor((coverage.covered_area_m2 / coverage.community_area_m2) * 100))
}

/** What the editor is doing: looking, drawing a new grid, moving a grid's corners, drawing a cut, picking a merge. */
export type Mode = 'view' | 'draw' | 'edit' | 'split' | 'merge'

/** Which buttons are open in a mode: a tool needs a selected grid unless it draws a new one; one tool at a time. */
export function toolsOpen(mode: Mode, selected: boolean): Record<Exclude<Mode, 'view'>, boolean> {
  const idle = mode === 'view'
  return { draw: idle, edit: idle && selected, split: idle && selected, merge: idle && selected }
}
