import { describe, expect, it } from 'vitest'
import { boundaryOf, CODE_LENGTH, formatArea } from './areasLogic'

describe('areas', () => {
  it('say their area in km², small ones in m²', () => {
    expect(formatArea(450_000)).toBe('0.45 km²')
    expect(formatArea(1_234_567)).toBe('1.23 km²')
    expect(formatArea(2_500)).toBe('2500 m²')
    expect(formatArea(0)).toBe('0')
  })

  it('have the codes of the administrative divisions', () => {
    expect(CODE_LENGTH).toEqual({ district: 6, street: 9, community: 12 })
  })

  it('take their boundary from a geometry, a feature or a collection of one', () => {
    const polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }
    expect(boundaryOf(polygon)).toBe(polygon)
    expect(boundaryOf({ type: 'Feature', properties: {}, geometry: polygon })).toBe(polygon)
    expect(boundaryOf({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon }] })).toBe(polygon)
    expect(boundaryOf({ type: 'FeatureCollection', features: [{ geometry: polygon }, { geometry: polygon }] })).toBeNull()
    expect(boundaryOf({ type: 'Point', coordinates: [0, 0] })).toBeNull()
    expect(boundaryOf('nonsense')).toBeNull()
  })
})
