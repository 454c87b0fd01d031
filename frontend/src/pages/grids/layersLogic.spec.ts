import { describe, expect, it } from 'vitest'
import type { MapLayers } from '@/api/mapLayers'
import zh from '@/i18n/maplayers/zh-CN'
import en from '@/i18n/maplayers/en'
import {
  LAYER_COLOURS,
  LAYER_KEYS,
  anyTruncated,
  bboxQuery,
  beijingTime,
  layersQuery,
  legendRows,
  recordPath,
  storedLayers,
  trackColour,
} from './layersLogic'

const empty = { type: 'FeatureCollection' as const, features: [], count: 0, truncated: false }
const data: MapLayers = {
  matters: { ...empty, count: 3 },
  overdue: { ...empty, count: 2000, truncated: true },
  incidents: null,
  tracks: { ...empty, count: 1 },
  hazards: { ...empty },
  day: '2026-12-02',
  generated_at: '2026-12-01T23:00:00Z',
  limit: 2000,
}

describe('desk map layers', () => {
  it('asks for the chosen layers in a fixed order, and for none when none is chosen', () => {
    expect(layersQuery(['hazards', 'matters', 'tracks'])).toBe('matters,tracks,hazards')
    expect(layersQuery([])).toBeNull()
  })

  it('remembers the choice, every layer the first time, and drops names it does not know', () => {
    expect(storedLayers(null)).toEqual([...LAYER_KEYS])
    expect(storedLayers('["tracks","people","overdue"]')).toEqual(['overdue', 'tracks'])
    expect(storedLayers('[]')).toEqual([])
    expect(storedLayers('{oops')).toEqual([...LAYER_KEYS])
    expect(storedLayers('"matters"')).toEqual([...LAYER_KEYS])
  })

  it('sends a box the API takes: clamped to the globe, rounded, never upside down', () => {
    expect(bboxQuery({ south: 28.1000004, west: 113.0000004, north: 28.11, east: 113.02 })).toBe('28.1,113,28.11,113.02')
    expect(bboxQuery({ south: -95, west: -200, north: 95, east: 200 })).toBe('-90,-180,90,180')
    expect(bboxQuery({ south: 29, west: 113, north: 28, east: 114 })).toBeNull()
    expect(bboxQuery({ south: 28, west: 113, north: 28, east: 114 })).toBeNull()
    expect(bboxQuery({ south: Number.NaN, west: 113, north: 28, east: 114 })).toBeNull()
  })

  it('gives the legend every layer with the counts of the answer, only for the layers shown', () => {
    const rows = legendRows(['matters', 'overdue', 'incidents'], data)
    expect(rows.map((r) => r.key)).toEqual([...LAYER_KEYS])
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]))
    expect(byKey.matters).toMatchObject({ shown: true, count: 3, truncated: false, colour: LAYER_COLOURS.matters })
    expect(byKey.overdue).toMatchObject({ shown: true, count: 2000, truncated: true })
    expect(byKey.incidents).toMatchObject({ shown: true, count: null }) // asked for, not answered yet
    expect(byKey.tracks).toMatchObject({ shown: false, count: null, truncated: false })
    expect(legendRows([], null).every((r) => r.count === null && !r.shown)).toBe(true)
    expect(anyTruncated(data)).toBe(true)
    expect(anyTruncated({ ...data, overdue: empty })).toBe(false)
    expect(anyTruncated(null)).toBe(false)
  })

  it('tells the layers apart by colour, and each leader keeps theirs', () => {
    expect(new Set(Object.values(LAYER_COLOURS)).size).toBe(LAYER_KEYS.length)
    expect(trackColour(7)).toBe(trackColour(7))
    expect(trackColour(1)).not.toBe(trackColour(2))
    expect(trackColour(-3)).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('links matters and incidents to their records', () => {
    expect(recordPath('matters', 12)).toBe('/matters/12')
    expect(recordPath('overdue', 5)).toBe('/matters/5')
    expect(recordPath('incidents', 3)).toBe('/incidents/3')
    expect(recordPath('tracks', 3)).toBeNull()
  })

  it('shows times on the Beijing clock', () => {
    expect(beijingTime('2026-12-01T20:05:00Z')).toBe('12-02 04:05')
    expect(beijingTime(null)).toBe('')
    expect(beijingTime('not a time')).toBe('')
  })
})

describe('the layers words', () => {
  const flat = (tree: object, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v, `${prefix}${k}.`) : [`${prefix}${k}`]))

  it('has the same keys in both languages, the domain words, and a message for each error code', () => {
    expect(flat(en).sort()).toEqual(flat(zh).sort())
    expect(zh.mapLayers.names).toEqual({
      matters: '开放事项',
      overdue: '超期事项',
      incidents: '突发事件',
      tracks: '今日巡查轨迹',
      hazards: '隐患',
    })
    expect(Object.keys(zh.errors.codes).sort()).toEqual(['map-bbox-invalid', 'map-layers-invalid'])
  })
})
