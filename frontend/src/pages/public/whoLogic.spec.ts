import { describe, expect, it } from 'vitest'
import { isDutyPhone, normalisePhone, queryFromRoute } from './whoLogic'

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

describe('the address of the who page', () => {
  it('reads a building, a point or a community, in that order', () => {
    expect(queryFromRoute({ building: '12', community: '3' })).toEqual({ building_id: 12 })
    expect(queryFromRoute({ lat: '28.1015', lon: '113.0015', community: '3' })).toEqual({ lat: 28.1015, lon: 113.0015 })
    expect(queryFromRoute({ community: '3' })).toEqual({ community_id: 3 })
    expect(queryFromRoute({ community: ['7', '8'] })).toEqual({ community_id: 7 })
  })
  it('ignores what is not one', () => {
    expect(queryFromRoute({})).toBeNull()
    expect(queryFromRoute({ community: '0' })).toBeNull()
    expect(queryFromRoute({ community: 'abc' })).toBeNull()
    expect(queryFromRoute({ lat: '91', lon: '113' })).toBeNull()
    expect(queryFromRoute({ lat: '28.1' })).toBeNull()
    expect(queryFromRoute({ building: '1e3' })).toBeNull()
  })
})
