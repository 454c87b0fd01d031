// The desk map's layers as data: which there are, their colours, the query for the API, the legend's rows, and
// the colour of each leader's track. Pure (no Leaflet, no Vue), so the unit tests cover it.
import type { MapLayers } from '@/api/mapLayers'

export const LAYER_KEYS = ['matters', 'overdue', 'incidents', 'tracks', 'hazards'] as const
export type LayerKey = (typeof LAYER_KEYS)[number]

/** One colour per layer, for the points and the legend (tracks: the legend's swatch; each leader has their own). */
export const LAYER_COLOURS: Record<LayerKey, string> = {
  matters: '#1677ff',
  overdue: '#e4393c',
  incidents: '#9c27b0',
  tracks: '#07a35a',
  hazards: '#ff8f1f',
}

const TRACK_PALETTE = ['#07a35a', '#0b8fa8', '#5b6fd6', '#c2185b', '#8d6e00', '#00897b', '#6d4c41', '#3949ab']

/** A steady colour per leader: the same person's lines look alike whatever else is on the map. */
export function trackColour(userId: number): string {
  const i = Math.abs(Math.trunc(userId)) % TRACK_PALETTE.length
  return TRACK_PALETTE[i]
}

export const STORAGE_KEY = 'wangge.mapLayers'

/** The layers shown: what was chosen last time (known names only), every layer the first time. */
export function storedLayers(raw: string | null): LayerKey[] {
  if (raw === null) return [...LAYER_KEYS]
  try {
    const value: unknown = JSON.parse(raw)
    if (!Array.isArray(value)) return [...LAYER_KEYS]
    return LAYER_KEYS.filter((key) => value.includes(key))
  } catch {
    return [...LAYER_KEYS]
  }
}

/** The `layers` query: the chosen ones in a fixed order, or null when none is (nothing to ask for). */
export function layersQuery(chosen: readonly LayerKey[]): string | null {
  const keys = LAYER_KEYS.filter((key) => chosen.includes(key))
  return keys.length ? keys.join(',') : null
}

export interface Box {
  south: number
  west: number
  north: number
  east: number
}

const clamp = (value: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, value))

/** The `bbox` query for a view, clamped to the globe and rounded to ~1 m; null for a view the API cannot take. */
export function bboxQuery(box: Box): string | null {
  const south = clamp(box.south, -90, 90)
  const north = clamp(box.north, -90, 90)
  const west = clamp(box.west, -180, 180)
  const east = clamp(box.east, -180, 180)
  if (![south, north, west, east].every(Number.isFinite) || !(south < north) || !(west < east)) return null
  return [south, west, north, east].map((v) => Number(v.toFixed(5))).join(',')
}

export interface LegendRow {
  key: LayerKey
  colour: string
  shown: boolean
  /** Features drawn; null while the layer is off or not loaded. */
  count: number | null
  truncated: boolean
}

/** The legend: every layer, whether it is on, and how many of its features the API gave. */
export function legendRows(chosen: readonly LayerKey[], data: MapLayers | null): LegendRow[] {
  return LAYER_KEYS.map((key) => {
    const layer = data?.[key] ?? null
    const shown = chosen.includes(key)
    return {
      key,
      colour: LAYER_COLOURS[key],
      shown,
      count: shown && layer ? layer.count : null,
      truncated: shown && !!layer?.truncated,
    }
  })
}

/** Whether any layer was cut at the limit: then the view's box is sent, so zooming in shows everything there. */
export function anyTruncated(data: MapLayers | null): boolean {
  return LAYER_KEYS.some((key) => !!data?.[key]?.truncated)
}

/** The link of a feature's record in the app, if it has a page. */
export function recordPath(key: LayerKey, id: number): string | null {
  if (key === 'matters' || key === 'overdue') return `/matters/${id}`
  if (key === 'incidents') return `/incidents/${id}`
  return null // a hazard's place is the station's ledger, a track's the patrol tables: both desk pages of their own
}

/** `2026-12-01T08:30:00Z` → `12-01 16:30` in Beijing time (the desk's clock), whatever the browser's zone. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return ''
  const bj = new Date(at.getTime() + 8 * 3600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())} ${pad(bj.getUTCHours())}:${pad(bj.getUTCMinutes())}`
}
