import { describe, expect, it } from 'vitest'
import { queryFromRoute } from './whoLogic'

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
