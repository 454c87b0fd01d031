import { describe, expect, it } from 'vitest'
import { alertTone, amount, changedDays, daysOf, monthWeeks, rotate, shiftMonth } from './preparednessLogic'

describe('the roster month', () => {
  it('moves across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01')
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(shiftMonth('2026-05', 0)).toBe('2026-05')
  })
  it('lists its days and lays them out Monday first', () => {
    expect(daysOf('2028-02')).toHaveLength(29)
    expect(daysOf('2026-12').at(-1)).toBe('2026-12-31')
    const weeks = monthWeeks('2026-12') // 1 December 2026 is a Tuesday
    expect(weeks[0]).toEqual([null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'])
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks.flat().filter(Boolean)).toHaveLength(31)
  })
})

describe('filling the roster', () => {
  it('gives the empty days to the people in turn and keeps the days already set', () => {
    const days = ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']
    const cells = rotate(days, [7, 8], '12345', { '2026-12-02': { userId: 9, phone: '' } })
    expect(days.map((d) => cells[d].userId)).toEqual([7, 9, 8, 7])
    expect(cells['2026-12-01'].phone).toBe('12345')
    const all = rotate(days, [7, 8], '', { '2026-12-02': { userId: 9, phone: '' } }, false)
    expect(days.map((d) => all[d].userId)).toEqual([7, 8, 7, 8])
    expect(rotate(days, [], '', {})).toEqual({})
  })
  it('sends only the days that changed, a cleared day as nobody', () => {
    const before = { '2026-12-01': { userId: 7, phone: '1' }, '2026-12-02': { userId: 8, phone: '' } }
    const after = { '2026-12-01': { userId: 7, phone: '1' }, '2026-12-02': { userId: null, phone: '' }, '2026-12-03': { userId: 9, phone: ' 12345 ' } }
    expect(changedDays(before, after)).toEqual([
      { day: '2026-12-02', user_id: null, duty_phone: null },
      { day: '2026-12-03', user_id: 9, duty_phone: '12345' },
    ])
  })
})

describe('the reserve', () => {
  it('colours an item by its worst alert', () => {
    expect(alertTone([])).toBeNull()
    expect(alertTone(['expiring'])).toBe('warning')
    expect(alertTone(['expiring', 'low'])).toBe('danger')
    expect(alertTone(['expired'])).toBe('danger')
  })
  it('reads a quantity', () => {
    expect(amount(' 12 ')).toBe(12)
    expect(amount('0')).toBeNull()
    expect(amount('1.5')).toBeNull()
    expect(amount('x')).toBeNull()
  })
})
