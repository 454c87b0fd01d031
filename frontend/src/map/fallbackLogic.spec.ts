import { describe, expect, it } from 'vitest'
import { MAX_GRIDS_IN_DETAIL, gridsToDetail } from './fallbackLogic'

// Bounds on a line: [from, to], intersecting when they overlap.
class Span {
  constructor(readonly from: number, readonly to: number) {}
  intersects(other: Span) {
    return this.from <= other.to && other.from <= this.to
  }
}

describe('gridsToDetail', () => {
  it('fetches the grids in view once each, at most the limit for one view', () => {
    const grids = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, bounds: new Span(i, i + 0.5) }))
    const fetched = new Map<number, unknown>()
    expect(gridsToDetail(grids, new Span(2, 4), fetched)).toEqual([3, 4, 5])
    fetched.set(3, true)
    expect(gridsToDetail(grids, new Span(2, 4), fetched)).toEqual([4, 5])
    const all = gridsToDetail(grids, new Span(-1, 30), fetched)
    expect(all).toHaveLength(MAX_GRIDS_IN_DETAIL - 1)
    expect(all).not.toContain(3)
  })
})
