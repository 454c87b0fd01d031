import { describe, expect, it } from 'vitest'
import {
  DEFAULT_LOOP_RULES,
  fromGrid,
  fromLoopForm,
  levelSummary,
  loopFieldOf,
  loopSummary,
  toGrid,
  toLoopForm,
  type LoopRules,
  type TimeLimits,
} from './categoriesLogic'

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

const VERIFIED: LoopRules = {
  contact: { amount: 2, unit: 'working_hours' },
  extension: { max_count: 2, max_days: 10 },
  suspension: { max_count: 0, max_days: 30 },
  verify: true,
  close_on: 'verification',
  callback_after_days: 5,
  callback_tries: 4,
  mediation: false,
}

describe('the loop rules form', () => {
  it('goes back to the same rules it came from', () => {
    expect(fromLoopForm(toLoopForm(VERIFIED))).toEqual({ rules: VERIFIED })
    const dispute = { ...DEFAULT_LOOP_RULES, mediation: true }
    expect(fromLoopForm(toLoopForm(dispute))).toEqual({ rules: dispute })
  })

  it("fills a category saved before the rules with the server's defaults, no contact limit as an empty amount", () => {
    const form = toLoopForm({})
    expect(form.numbers['contact.amount']).toBe('')
    expect(form.numbers['suspension.max_days']).toBe('30')
    expect(fromLoopForm(toLoopForm(null))).toEqual({ rules: DEFAULT_LOOP_RULES })
    // Half a rule saved: the rest of it at its default.
    expect(toLoopForm({ extension: { max_count: 5 } }).numbers['extension.max_days']).toBe('10')
  })

  it('sends no contact limit when its amount is emptied, and takes spaces around a number', () => {
    const form = toLoopForm(VERIFIED)
    form.numbers['contact.amount'] = ''
    form.numbers.callback_tries = ' 2 '
    const sent = fromLoopForm(form)
    expect(sent).toEqual({ rules: { ...VERIFIED, contact: null, callback_tries: 2 } })
  })

  it('closes on the rating once verification is switched off, whatever was chosen', () => {
    const form = toLoopForm(VERIFIED)
    form.verify = false
    expect(fromLoopForm(form)).toEqual({ rules: { ...VERIFIED, verify: false, close_on: 'rating' } })
    // A saved contradiction (closes on verification, does not verify) opens as closing on the rating.
    expect(toLoopForm({ verify: false, close_on: 'verification' }).closeOn).toBe('rating')
  })

  it.each([
    ['extension.max_count', '11', { problem: 'range', min: 0, max: 10 }],
    ['extension.max_days', '0', { problem: 'range', min: 1, max: 365 }],
    ['suspension.max_days', '366', { problem: 'range', min: 1, max: 365 }],
    ['callback_after_days', '61', { problem: 'range', min: 1, max: 60 }],
    ['callback_tries', '', { problem: 'whole' }],
    ['contact.amount', '1.5', { problem: 'whole' }],
    ['contact.amount', '0', { problem: 'range', min: 1, max: 2000 }],
  ] as const)('refuses %s = "%s" as the server would, naming the field', (field, value, problem) => {
    const form = toLoopForm(VERIFIED)
    form.numbers[field] = value
    expect(fromLoopForm(form)).toEqual({ problem: { field, ...problem } })
  })

  it("refuses a contact limit of more than a year's worth of its unit", () => {
    const form = toLoopForm(VERIFIED)
    form.numbers['contact.amount'] = '251'
    form.contactUnit = 'working_days'
    expect(fromLoopForm(form)).toEqual({ problem: { field: 'contact.amount', problem: 'range', min: 1, max: 250 } })
  })
})

describe("a server's 422 on the rules", () => {
  it('is said under the field it names', () => {
    expect(loopFieldOf(['body', 'loop_rules', 'extension', 'max_days'])).toBe('extension.max_days')
    expect(loopFieldOf(['body', 'loop_rules', 'callback_tries'])).toBe('callback_tries')
    expect(loopFieldOf(['body', 'loop_rules', 'contact', 'amount'])).toBe('contact.amount')
    expect(loopFieldOf(['body', 'loop_rules', 'contact', 'unit'])).toBe('contact.unit')
    expect(loopFieldOf(['body', 'loop_rules', 'suspension'])).toBe('suspension.max_days')
    expect(loopFieldOf(['body', 'loop_rules'])).toBe('close_on')
  })

  it('is not the rules’ when it names another field', () => {
    expect(loopFieldOf(['body', 'time_limits', 'grid'])).toBeNull()
    expect(loopFieldOf(undefined)).toBeNull()
  })
})

describe('the rules in the table', () => {
  const words = {
    contact: (l: { amount: number; unit: string }) => `联系${l.amount}`,
    verify: '核查',
    closes: '核查即结案',
    mediation: '调解',
  }
  it('says the contact limit, verification and mediation, nothing for the defaults', () => {
    expect(loopSummary(VERIFIED, words)).toEqual(['联系2', '核查即结案'])
    expect(loopSummary({ ...VERIFIED, close_on: 'rating', contact: null, mediation: true }, words)).toEqual(['核查', '调解'])
    expect(loopSummary({}, words)).toEqual([])
  })
})
