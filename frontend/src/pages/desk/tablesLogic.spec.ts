import { describe, expect, it } from 'vitest'
import {
  emptyHazardFilters,
  emptyPatrolFilters,
  emptyVisitFilters,
  flipSort,
  formatDistance,
  formatDuration,
  hazardQuery,
  patrolQuery,
  visitQuery,
} from './tablesLogic'

describe('patrolQuery', () => {
  it('says nothing for the defaults but the page', () => {
    expect(patrolQuery(emptyPatrolFilters())).toBe('')
    expect(patrolQuery(emptyPatrolFilters(), { limit: 50, after: 'abc' })).toBe('limit=50&after=abc')
  })
  it('names each filter set and the sort when it is not the default', () => {
    const f = { grid: '3', user: '7', from: '2026-11-01', to: '2026-11-02', state: 'ended', flagged: 'true', sort: 'started' as const }
    expect(patrolQuery(f)).toBe('grid_id=3&user_id=7&started_from=2026-11-01&started_to=2026-11-02&state=ended&flagged=true&sort=started')
  })
})

describe('visitQuery', () => {
  it('trims the name searched and keeps at most 50 characters', () => {
    expect(visitQuery({ ...emptyVisitFilters(), q: '  王  ' })).toBe('q=%E7%8E%8B')
    expect(new URLSearchParams(visitQuery({ ...emptyVisitFilters(), q: 'x'.repeat(60) })).get('q')).toHaveLength(50)
    expect(visitQuery({ ...emptyVisitFilters(), q: '   ' })).toBe('')
  })
  it('names grid, group, visitor, days and sort', () => {
    const f = { grid: '1', group: '2', visitor: '3', from: '2026-11-01', to: '', q: '', sort: 'visited' as const }
    expect(visitQuery(f, { limit: 20 })).toBe('grid_id=1&group_id=2&visitor_id=3&visited_from=2026-11-01&sort=visited&limit=20')
  })
})

describe('hazardQuery', () => {
  it('holds only the filters set', () => {
    expect(hazardQuery(emptyHazardFilters())).toEqual({})
    expect(hazardQuery({ status: 'open', grid: '4', risk: 'major', overdue: 'true' }, { limit: 100, after: '2026-11-01.3' })).toEqual({
      status: 'open',
      grid_id: '4',
      risk_level: 'major',
      overdue: 'true',
      limit: '100',
      after: '2026-11-01.3',
    })
  })
})

describe('formats', () => {
  it('reads a duration as hours and minutes', () => {
    expect(formatDuration(5400)).toBe('1:30')
    expect(formatDuration(59)).toBe('0:01')
    expect(formatDuration(null)).toBe('')
  })
  it('reads a distance in metres or kilometres', () => {
    expect(formatDistance(850)).toBe('850 m')
    expect(formatDistance(1234)).toBe('1.2 km')
    expect(formatDistance(123456)).toBe('123 km')
  })
  it('flips a sort by time', () => {
    expect(flipSort('-started')).toBe('started')
    expect(flipSort('visited')).toBe('-visited')
  })
})
