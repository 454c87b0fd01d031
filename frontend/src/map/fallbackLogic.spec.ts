import { describe, expect, it } from 'vitest'
import { MAX_GRIDS_IN_DETAIL, gridsToDetail, labelsToShow, type LabelBox } from './fallbackLogic'

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

const box = (left: number, top: number, width = 40, height = 16): LabelBox => ({ left, top, right: left + width, bottom: top + height })

describe('labelsToShow', () => {
  it('keeps the grid names clear and shows a name only where it overlaps none shown before it', () => {
    const grid = box(100, 100, 80)
    const labels = [
      box(150, 105), // on the grid's name
      box(300, 100), // alone
      box(320, 108), // on the one just shown
      box(300, 118), // just below it, clear of it by 2 px
      box(0, 0, 0, 0), // not laid out
    ]
    expect(labelsToShow([grid], labels)).toEqual([false, true, false, true, false])
  })
  it('shows every name that has room, in order of importance', () => {
    const row = Array.from({ length: 5 }, (_, i) => box(i * 50, 0))
    expect(labelsToShow([], row)).toEqual([true, true, true, true, true])
    expect(labelsToShow([], row, 20)).toEqual([true, false, true, false, true])
  })
})
