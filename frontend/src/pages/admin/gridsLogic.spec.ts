import { describe, expect, it } from 'vitest'
import { cornersOf, coveredPercent, isGridCode, lineOf, nextGridCode, polygonOf, snapToCorners, toolsOpen } from './gridsLogic'

describe('grid codes', () => {
  it('are 15 digits under the community code', () => {
    expect(isGridCode('430111001001004', '430111001001')).toBe(true)
    expect(isGridCode('430111001002004', '430111001001')).toBe(false)
    expect(isGridCode('43011100100100', '430111001001')).toBe(false)
    expect(isGridCode('43011100100100a', '430111001001')).toBe(false)
  })

  it('suggest the first free one', () => {
    expect(nextGridCode('430111001001', [])).toBe('430111001001001')
    expect(nextGridCode('430111001001', ['430111001001001', '430111001001003'])).toBe('430111001001002')
  })
})

describe('drawn shapes', () => {
  it('close the ring, drop repeated clicks and round to 7 decimals', () => {
    const ring = [
      { lat: 28.1, lng: 113.0 },
      { lat: 28.1, lng: 113.00300000004 },
      { lat: 28.1, lng: 113.003 },
      { lat: 28.103, lng: 113.003 },
    ]
    expect(polygonOf([ring])).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [113.0, 28.1],
          [113.003, 28.1],
          [113.003, 28.103],
          [113.0, 28.1],
        ],
      ],
    })
  })

  it('keep a ring already closed as it is', () => {
    const closed = polygonOf([
      [
        { lat: 0, lng: 0 },
        { lat: 0, lng: 1 },
        { lat: 1, lng: 1 },
        { lat: 0, lng: 0 },
      ],
    ])
    expect(closed.coordinates[0]).toHaveLength(4)
  })

  it('land on a neighbour\'s corner within the tolerance, and only there', () => {
    const corners = cornersOf([
      { type: 'Polygon', coordinates: [[[113, 28.103], [113.003, 28.103], [113.003, 28.1], [113, 28.103]]] },
      { type: 'MultiPolygon', coordinates: [[[[113, 28.1], [113.01, 28.1], [113.01, 28.11], [113, 28.1]]]] },
      null,
    ])
    expect(corners).toHaveLength(8)
    const drawn = [
      { lat: 28.10308, lng: 113 }, // on the boundary's edge, 9 m from the grid's corner
      { lat: 28.104, lng: 113.002 }, // nowhere near a corner
    ]
    expect(snapToCorners(drawn, corners, 0.0002)).toEqual([
      { lat: 28.103, lng: 113 },
      { lat: 28.104, lng: 113.002 },
    ])
    expect(snapToCorners(drawn, corners, 0.00005)[0]).toEqual({ lat: 28.10308, lng: 113 })
  })

  it('make lines in lon, lat order', () => {
    expect(lineOf([{ lat: 28.1, lng: 113 }, { lat: 28.2, lng: 113.1 }]).coordinates).toEqual([
      [113, 28.1],
      [113.1, 28.2],
    ])
  })
})

describe('the editor', () => {
  it('says how much of the community is covered', () => {
    expect(coveredPercent({ community_area_m2: 1000, covered_area_m2: 999 })).toBe(99)
    expect(coveredPercent({ community_area_m2: 0, covered_area_m2: 0 })).toBe(0)
  })

  it('opens one tool at a time, the grid tools only for a selected grid', () => {
    expect(toolsOpen('view', false)).toEqual({ draw: true, edit: false, split: false, merge: false })
    expect(toolsOpen('view', true)).toEqual({ draw: true, edit: true, split: true, merge: true })
    expect(toolsOpen('edit', true)).toEqual({ draw: false, edit: false, split: false, merge: false })
  })
})
