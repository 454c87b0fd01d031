import { describe, expect, it } from 'vitest'
import { fromGrid, levelSummary, toGrid, type TimeLimits } from './categoriesLogic'

const ORDINARY: TimeLimits = {
  grid: { sign: { amount: 2, unit: 'working_hours' }, complete: { amount: 1, unit: 'working_days' } },
  station: { sign: { amount: 4, unit: 'working_hours' }, complete: { amount: 3, unit: 'working_days' } },
  notice: { complete: { amount: 5, unit: 'working_days' } },
}

describe('the time-limit grid', () => {
  it('goes back to the same dict it came from', () => {
    expect(fromGrid(toGrid(ORDINARY))).toEqual({ limits: ORDINARY })
  })

  it('has every cell, a missing limit as an empty amount with a sensible unit', () => {
    const grid = toGrid({})
    expect(grid.street.sign).toEqual({ amount: '', unit: 'working_hours' })
    expect(grid.department.complete).toEqual({ amount: '', unit: 'working_days' })
    expect(toGrid(null).grid.sign.amount).toBe('')
    expect(fromGrid(toGrid(undefined))).toEqual({ limits: {} })
  })

  it('leaves a level out once its cells are emptied, and takes 0 and spaces around a number', () => {
    const grid = toGrid(ORDINARY)
    grid.grid.sign.amount = ''
    grid.grid.complete.amount = ''
    grid.station.sign.amount = ' 0 '
    grid.street.complete = { amount: '3', unit: 'working_days' }
    expect(fromGrid(grid)).toEqual({
      limits: {
        station: { sign: { amount: 0, unit: 'working_hours' }, complete: { amount: 3, unit: 'working_days' } },
        street: { complete: { amount: 3, unit: 'working_days' } },
        notice: ORDINARY.notice,
      },
    })
  })

  it.each(['1.5', '-1', 'abc', '1e3', '２'])('refuses %s, naming the cell', (amount) => {
    const grid = toGrid(ORDINARY)
    grid.street.complete.amount = amount
    expect(fromGrid(grid)).toEqual({ problem: { level: 'street', kind: 'complete', problem: 'whole' } })
  })

  it("refuses more than a year's worth of the unit, as the server does", () => {
    const grid = toGrid({})
    grid.grid.complete = { amount: '250', unit: 'working_days' }
    expect('limits' in fromGrid(grid)).toBe(true)
    grid.grid.complete.amount = '251'
    expect(fromGrid(grid)).toEqual({ problem: { level: 'grid', kind: 'complete', problem: 'tooLarge', max: 250 } })
    grid.grid.complete = { amount: '251', unit: 'working_hours' }
    expect('limits' in fromGrid(grid)).toBe(true)
  })

  it('keeps the notice to its length: a sign cell there is never sent', () => {
    const grid = toGrid({ notice: { sign: { amount: 1, unit: 'working_days' } } })
    grid.notice.sign.amount = '7'
    expect(fromGrid(grid)).toEqual({ limits: {} })
  })

  it("requires an emergency category's station limits", () => {
    const grid = toGrid(ORDINARY)
    grid.station.complete.amount = ''
    expect(fromGrid(grid)).toEqual({ limits: expect.any(Object) })
    expect(fromGrid(grid, { emergency: true })).toEqual({ problem: { level: 'station', kind: 'complete', problem: 'required' } })
  })
})

describe('a level in the table', () => {
  const words = (unit: string, n: number) => `${n}${unit === 'working_days' ? '工作日' : '工作小时'}`
  it('says sign / complete, a dash for the missing one, nothing for a level without limits', () => {
    expect(levelSummary(ORDINARY, 'grid', words)).toBe('2工作小时 / 1工作日')
    expect(levelSummary({ street: { complete: { amount: 5, unit: 'working_days' } } }, 'street', words)).toBe('— / 5工作日')
    expect(levelSummary(ORDINARY, 'notice', words)).toBe('5工作日')
    expect(levelSummary(ORDINARY, 'department', words)).toBeNull()
    expect(levelSummary({ grid: {} }, 'grid', words)).toBeNull()
  })
})
