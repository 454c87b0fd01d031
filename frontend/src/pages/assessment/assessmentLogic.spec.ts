import { describe, expect, it } from 'vitest'
import {
  addMonths,
  boundsOf,
  deltaOf,
  exportQuery,
  figureNumber,
  formatDuration,
  formatFigure,
  formatRate,
  gradeColour,
  homeUnit,
  isFuture,
  periodLabel,
  periodQuery,
  periodText,
  rangeValid,
  rateGrade,
  sharesOf,
  shiftPeriod,
  todayInBeijing,
  type PeriodState,
} from './assessmentLogic'

const state = (kind: PeriodState['kind'], at: string, start = '', end = ''): PeriodState => ({ kind, at, start, end })

describe('figures as text', () => {
  it('shows a rate with its numerator and denominator', () => {
    expect(formatRate({ num: 114, den: 120, value: 0.95 })).toBe('95.0%（114/120）')
    expect(formatRate({ num: 2, den: 2, value: 1 }, 'en')).toBe('100.0% (2/2)')
    expect(formatRate({ num: 0, den: 0, value: null })).toBe('—（0/0）')
    expect(formatRate(null)).toBe('—')
  })

  it('shows a duration in working hours with its p90 and count', () => {
    expect(formatDuration({ n: 8, avg: 12.46, p90: 30 })).toBe('平均 12.5 小时 · P90 30.0（8 件）')
    expect(formatDuration({ n: 8, avg: 12.46, p90: 30 }, 'en')).toBe('avg 12.5 h · p90 30.0 h (8)')
    expect(formatDuration({ n: 0, avg: null, p90: null })).toBe('—')
  })

  it('shows any figure', () => {
    expect(formatFigure(7)).toBe('7')
    expect(formatFigure({ fire: 2, gas: 1 }, 'zh-CN', (k) => (k === 'fire' ? '消防' : k))).toBe('消防 2 · gas 1')
    expect(formatFigure({})).toBe('—')
    expect(formatFigure(undefined)).toBe('—')
    expect(figureNumber({ num: 1, den: 3, value: 0.3333 })).toBe(33.3)
    expect(figureNumber({ n: 2, avg: 4.5, p90: 6 })).toBe(4.5)
  })
})

describe('changes against another period', () => {
  it('gives a rate change in percentage points, coloured by whether it is better', () => {
    const d = deltaOf('response_rate', { num: 95, den: 100, value: 0.95 }, { num: 90, den: 100, value: 0.9 })
    expect(d).toEqual({ arrow: '▲', diff: 5, tone: 'good', text: '▲ 5.0 个百分点' })
    expect(deltaOf('reopen_rate', { num: 3, den: 100, value: 0.03 }, { num: 1, den: 100, value: 0.01 }, 'en').tone).toBe('bad')
    expect(deltaOf('reopen_rate', { num: 3, den: 100, value: 0.03 }, { num: 1, den: 100, value: 0.01 }, 'en').text).toBe('▲ 2.0 pts')
  })

  it('gives counts and hours as differences; fewer overdue is good', () => {
    expect(deltaOf('overdue', 2, 5)).toMatchObject({ arrow: '▼', diff: -3, tone: 'good', text: '▼ 3' })
    expect(deltaOf('received', 2, 5)).toMatchObject({ arrow: '▼', tone: 'neutral' }) // fewer received is not worse in itself
    expect(deltaOf('hazards_found', 6, 2).tone).toBe('neutral')
    expect(deltaOf('resolve_hours', { n: 3, avg: 10, p90: 12 }, { n: 3, avg: 12.5, p90: 20 })).toMatchObject({ diff: -2.5, tone: 'good', text: '▼ 2.5 小时' })
    expect(deltaOf('received', 4, 4).text).toBe('持平')
    expect(deltaOf('response_rate', { num: 0, den: 0, value: null }, { num: 1, den: 1, value: 1 }).arrow).toBe(null)
  })
})

describe('colours', () => {
  it('colours grades and rates by the scheme thresholds', () => {
    expect(gradeColour('green')).not.toBe(gradeColour('red'))
    expect(gradeColour(null)).toBe('#969799')
    expect(rateGrade({ num: 9, den: 10, value: 0.9 })).toBe('green')
    expect(rateGrade({ num: 8, den: 10, value: 0.8 })).toBe('yellow')
    expect(rateGrade({ num: 7, den: 10, value: 0.7 })).toBe('red')
    expect(rateGrade({ num: 8, den: 10, value: 0.8 }, 80, 60)).toBe('green')
    expect(rateGrade({ num: 0, den: 0, value: null })).toBe(null)
  })

  it('turns level counts into shares in level order', () => {
    expect(sharesOf({ street: 1, grid: 3 })).toEqual([
      { key: 'grid', count: 3, share: 0.75 },
      { key: 'street', count: 1, share: 0.25 },
    ])
    expect(sharesOf({ grid: 0 })).toEqual([{ key: 'grid', count: 0, share: 0 }])
  })
})

describe('periods', () => {
  it('finds the bounds of each kind (weeks from Monday)', () => {
    expect(boundsOf('week', '2026-12-03')).toEqual(['2026-11-30', '2026-12-06'])
    expect(boundsOf('week', '2026-12-06')).toEqual(['2026-11-30', '2026-12-06'])
    expect(boundsOf('month', '2024-02-10')).toEqual(['2024-02-01', '2024-02-29'])
    expect(boundsOf('quarter', '2026-11-15')).toEqual(['2026-10-01', '2026-12-31'])
    expect(boundsOf('year', '2026-11-15')).toEqual(['2026-01-01', '2026-12-31'])
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
  })

  it('moves to the previous and next period', () => {
    expect(shiftPeriod(state('day', '2026-03-01'), -1).at).toBe('2026-02-28')
    expect(shiftPeriod(state('week', '2026-12-03'), 1).at).toBe('2026-12-10')
    expect(shiftPeriod(state('month', '2026-03-31'), -1).at).toBe('2026-02-01')
    expect(shiftPeriod(state('quarter', '2026-01-15'), -1).at).toBe('2025-10-01')
    expect(shiftPeriod(state('year', '2026-06-15'), 1).at).toBe('2027-01-01')
    const range = shiftPeriod(state('range', '', '2026-11-01', '2026-11-10'), -1)
    expect([range.start, range.end]).toEqual(['2026-10-22', '2026-10-31'])
  })

  it('knows when the next period has not begun', () => {
    expect(isFuture(state('month', '2026-12-01'), '2026-12-01')).toBe(true)
    expect(isFuture(state('month', '2026-11-01'), '2026-12-01')).toBe(false)
  })

  it('labels periods in both languages', () => {
    expect(periodLabel(state('month', '2026-11-15'))).toBe('2026年11月')
    expect(periodLabel(state('month', '2026-11-15'), 'en')).toBe('Nov 2026')
    expect(periodLabel(state('quarter', '2026-11-15'))).toBe('2026年第4季度')
    expect(periodLabel(state('quarter', '2026-11-15'), 'en')).toBe('Q4 2026')
    expect(periodLabel(state('week', '2026-12-03'))).toBe('2026-11-30 至 2026-12-06')
    expect(periodLabel(state('year', '2026-12-03'), 'en')).toBe('2026')
    expect(periodLabel(state('range', '', '2026-01-01', '2026-01-31'), 'en')).toBe('2026-01-01 – 2026-01-31')
  })

  it("shows the server's label in the language shown", () => {
    const p = { label: '2026年11月', label_en: 'Nov 2026' }
    expect([periodText(p), periodText(p, 'en')]).toEqual(['2026年11月', 'Nov 2026'])
  })

  it('builds the API parameters and checks ranges', () => {
    expect(periodQuery(state('month', '2026-11-15'))).toEqual({ period: 'month', at: '2026-11-15' })
    expect(periodQuery(state('range', 'x', '2026-01-01', '2026-01-31'))).toEqual({ period: 'range', start: '2026-01-01', end: '2026-01-31' })
    expect(rangeValid('2026-01-01', '2026-12-31')).toBe(true)
    expect(rangeValid('2024-01-01', '2024-12-31')).toBe(true) // 366 days
    expect(rangeValid('2025-01-01', '2026-01-02')).toBe(false)
    expect(rangeValid('2026-02-01', '2026-01-01')).toBe(false)
    expect(exportQuery({ level: 'grid', parent_id: 3 }, { period: 'month', at: '2026-11-01' })).toEqual({
      level: 'grid',
      parent_id: 3,
      period: 'month',
      at: '2026-11-01',
    })
  })

  it('takes today in Beijing', () => {
    expect(todayInBeijing(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12-01')
    expect(todayInBeijing(new Date('2026-11-30T15:30:00Z'))).toBe('2026-11-30')
  })
})

describe('home units', () => {
  it('opens each desk role on its own unit', () => {
    expect(homeUnit('station_chief', { level: 'community', id: 4 })).toEqual({ level: 'community', id: 4 })
    expect(homeUnit('street_officer', { level: 'street', id: 1 })).toEqual({ level: 'street', id: 1 })
    expect(homeUnit('department_officer', { level: 'department', id: 9 })).toEqual({ level: 'department', id: 9 })
    expect(homeUnit('administrator', { level: 'district', id: 3 })).toEqual({ level: 'district', id: 3 })
    expect(homeUnit('administrator', { level: 'street', id: 1 })).toEqual({ level: 'street', id: 1 })
    expect(homeUnit('administrator', { level: 'system', id: null })).toBe(null)
    expect(homeUnit('station_chief', { level: 'street', id: 1 })).toBe(null)
    expect(homeUnit('grid_leader', { level: 'grid', id: 2 })).toBe(null)
  })
})
