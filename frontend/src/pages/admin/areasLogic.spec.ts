import { describe, expect, it } from 'vitest'
import { boundaryOf, CODE_LENGTH, formatArea, isDutyPhone, normalisePhone } from './areasLogic'

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

describe('duty phones', () => {
  it('accepts what the server accepts', () => {
    for (const ok of ['0731-8888 6666', '+86 731 8888 6666', '12345', '110', '', '  ', null, '０７３１－８８８８'])
      expect(isDutyPhone(ok), String(ok)).toBe(true)
  })
  it('refuses what the server refuses', () => {
    for (const bad of ['phone', '0731-', '-0731', '12', '0731--8888/6666', '1'.repeat(31), '0731 8888 转 1', '+-1234', '٠٧٣١٢'])
      expect(isDutyPhone(bad), bad).toBe(false)
  })
  it('normalises as the server stores', () => {
    expect(normalisePhone(' 0731-8888   6666 ')).toBe('0731-8888 6666')
    expect(normalisePhone('０７３１－８８８８')).toBe('0731-8888')
    expect(normalisePhone('   ')).toBeNull()
    expect(normalisePhone(undefined)).toBeNull()
  })
})
