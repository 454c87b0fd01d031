import { describe, expect, it } from 'vitest'
import type { Shift } from '@/api/admin'
import { addWeeks, byLeaderAndDay, mondayOf, validTimes } from './shiftsLogic'

const shift = (id: number, user: number, weekday: number, start: string): Shift => ({
  id,
  user: { id: user, name: `u${user}` },
  weekday,
  start_time: start,
  end_time: '23:00',
  label: null,
})

describe('shifts', () => {
  it('find the Monday of a week and move by weeks', () => {
    expect(mondayOf(new Date(2026, 11, 3))).toBe('2026-11-30') // a Thursday
    expect(mondayOf(new Date(2026, 10, 30))).toBe('2026-11-30') // the Monday itself
    expect(mondayOf(new Date(2026, 11, 6))).toBe('2026-11-30') // the Sunday
    expect(addWeeks('2026-11-30', 1)).toBe('2026-12-07')
    expect(addWeeks('2027-01-04', -1)).toBe('2026-12-28')
  })

  it('are arranged by leader and weekday, earliest first', () => {
    const grid = byLeaderAndDay([shift(1, 7, 2, '14:00'), shift(2, 7, 2, '08:00'), shift(3, 8, 0, '09:00')])
    expect(grid.get(7)?.[2].map((s) => s.id)).toEqual([2, 1])
    expect(grid.get(8)?.[0].map((s) => s.id)).toEqual([3])
    expect(grid.get(7)?.[0]).toEqual([])
  })

  it('take times that end after they start', () => {
    expect(validTimes('08:00', '12:00')).toBe(true)
    expect(validTimes('18:00', '24:00')).toBe(true)
    expect(validTimes('12:00', '08:00')).toBe(false)
    expect(validTimes('8:00', '12:00')).toBe(false)
    expect(validTimes('24:00', '24:00')).toBe(false)
  })
})
