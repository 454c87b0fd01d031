import { describe, expect, it } from 'vitest'
import type { SchemeRules } from '@/api/assessmentSchemes'
import { deductionsLine, draftFrom, freeKeys, nextCount, nextKey, nextMonth, problems, toCreate, weightSum, weightsLine } from './schemesLogic'

const DEFAULT: SchemeRules = {
  indicators: [
    { key: 'response_rate', weight: 30 },
    { key: 'resolution_rate', weight: 35 },
    { key: 'satisfaction_rate', weight: 35 },
  ],
  deductions: [{ key: 'overdue', points: 1, max: 10 }],
  green: 90,
  yellow: 75,
  min_count: 5,
}

describe('the weights', () => {
  it('sum live, to two places', () => {
    const d = draftFrom(DEFAULT, '2026-12')
    expect(weightSum(d)).toBe(100)
    d.indicators[0].weight = 0.1
    d.indicators[1].weight = 0.2
    expect(weightSum(d)).toBe(35.3)
    d.indicators[2].weight = ''
    expect(weightSum(d)).toBe(0.3)
  })
  it('must make 100 before the draft can be sent', () => {
    const d = draftFrom(DEFAULT, '2026-12')
    expect(problems(d)).toEqual([])
    d.indicators[0].weight = 20
    expect(problems(d)).toEqual(['weights'])
    d.indicators.push({ key: 'patrol_coverage', weight: 10 })
    expect(problems(d)).toEqual([])
  })
})

describe('a draft', () => {
  it('is refused with each of its problems', () => {
    const d = draftFrom(DEFAULT, '2026-13')
    d.indicators[1].key = 'response_rate'
    d.deductions[0].points = ''
    d.yellow = 95
    d.min_count = 2.5
    expect(problems(d)).toEqual(['repeated', 'deductionRange', 'bands', 'minCount', 'month'])
    expect(problems({ ...d, indicators: [] })).toContain('noIndicators')
    expect(problems({ ...draftFrom(DEFAULT, '2027-01'), green: 120 })).toEqual(['bandRange'])
    const zero = draftFrom(DEFAULT, '2027-01')
    zero.indicators = [{ key: 'response_rate', weight: 100 }, { key: 'visit_rate', weight: 0 }]
    expect(problems(zero)).toEqual(['weightRange'])
  })

  it('takes effect this month or later, never in a month already frozen', () => {
    expect(problems(draftFrom(DEFAULT, '2026-11'), '2026-12')).toEqual(['pastMonth'])
    expect(problems(draftFrom(DEFAULT, '2026-12'), '2026-12')).toEqual([])
    expect(problems(draftFrom(DEFAULT, '2027-01'), '2026-12')).toEqual([])
    expect(problems(draftFrom(DEFAULT, '2026-11'))).toEqual([]) // without today: the form's own check only
  })
  it('becomes the body: rules and the first day of its month', () => {
    const d = draftFrom(DEFAULT, '2027-01')
    d.indicators = [
      { key: 'response_rate', weight: 50 },
      { key: 'hazards_fixed_on_time', weight: 50 },
    ]
    d.deductions.push({ key: 'hazards_overdue', points: 2, max: 6 })
    expect(toCreate(d)).toEqual({
      effective_from: '2027-01-01',
      rules: {
        indicators: [
          { key: 'response_rate', weight: 50 },
          { key: 'hazards_fixed_on_time', weight: 50 },
        ],
        deductions: [
          { key: 'overdue', points: 1, max: 10 },
          { key: 'hazards_overdue', points: 2, max: 6 },
        ],
        green: 90,
        yellow: 75,
        min_count: 5,
      },
    })
  })
  it('is a copy: editing it leaves the version it came from alone', () => {
    const d = draftFrom(DEFAULT, '2027-01')
    d.indicators[0].weight = 1
    expect(DEFAULT.indicators[0].weight).toBe(30)
  })
})

describe('the keys', () => {
  it('offer each row its own key and those not weighed yet', () => {
    const d = draftFrom(DEFAULT, '2027-01')
    const free = freeKeys(d, 0)
    expect(free).toContain('response_rate')
    expect(free).not.toContain('resolution_rate')
    expect(nextKey(d)).toBe('on_time_rate')
    expect(nextCount(d)).toBe('hazards_overdue')
    d.deductions.push({ key: 'hazards_overdue', points: 1, max: 1 })
    expect(nextCount(d)).toBeNull()
  })
})

describe('the month a new version takes effect', () => {
  it('is the next one, across the year', () => {
    expect(nextMonth('2026-12-02')).toBe('2027-01')
    expect(nextMonth('2026-03-31')).toBe('2026-04')
  })
})

describe('a version in a line', () => {
  it('lists weights and deductions with the page’s words', () => {
    const label = (k: string) => ({ response_rate: '响应率', resolution_rate: '解决率', satisfaction_rate: '满意率', overdue: '超期件' })[k] ?? k
    expect(weightsLine(DEFAULT, label)).toBe('响应率 30 · 解决率 35 · 满意率 35')
    expect(deductionsLine(DEFAULT, (k, p, m) => `${label(k)} −${p}/件，最多 −${m}`)).toBe('超期件 −1/件，最多 −10')
  })
})
