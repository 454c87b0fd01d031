import { describe, expect, it } from 'vitest'
import type { LeaderLogs, Remark } from '@/api/logs'
import { cellOf, gridsOf, remarkProblem, signedShare, unread, weekDays } from './logsLogic'

function row(id: number, grid: { id: number; name: string }, days: [string, string | null][]): LeaderLogs {
  return {
    leader: { id, name: `L${id}`, grid: { ...grid, code: 'x' } },
    days: days.map(([day, signed_at]) => ({ day, signed_at, items: 1, remarks: 0 })),
  }
}

describe('the week', () => {
  it('has seven days from its Monday, never past today', () => {
    expect(weekDays('2026-11-30', '2026-12-10')).toEqual([
      '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06',
    ])
    expect(weekDays('2026-11-30', '2026-12-01')).toEqual(['2026-11-30', '2026-12-01'])
  })
})

describe('a leader row', () => {
  const r = row(1, { id: 5, name: 'G2网格' }, [['2026-12-01', '2026-12-01T10:00:00Z'], ['2026-11-30', null]])
  it('finds the cell of a day, and counts the signed days', () => {
    expect(cellOf(r, '2026-11-30')?.signed_at).toBeNull()
    expect(cellOf(r, '2026-11-29')).toBeUndefined()
    expect(signedShare(r)).toEqual({ signed: 1, total: 2 })
  })
  it('gives the grids seen once each, by name, keeping those known', () => {
    const rows = [r, row(2, { id: 4, name: 'G1网格' }, []), row(3, { id: 5, name: 'G2网格' }, [])]
    expect(gridsOf(rows).map((g) => g.id)).toEqual([4, 5])
    expect(gridsOf([], [{ id: 9, name: '九' }])).toEqual([{ id: 9, name: '九' }])
  })
})

describe('a remark', () => {
  it('needs words and at most 500 characters', () => {
    expect(remarkProblem('   ')).toBe('required')
    expect(remarkProblem('字'.repeat(500))).toBeNull()
    expect(remarkProblem(` ${'字'.repeat(501)} `)).toBe('tooLong')
    expect(remarkProblem('  请核实  ')).toBeNull()
  })
  it('is new until the leader marks it read', () => {
    const base = { kind: 'day', day: '2026-12-01', text: 'x', author: { id: 1, name: 'a' }, created_at: '' } as const
    const remarks: Remark[] = [{ ...base, id: 1, read_at: null }, { ...base, id: 2, read_at: '2026-12-01T01:00:00Z' }]
    expect(unread(remarks).map((x) => x.id)).toEqual([1])
    expect(unread(undefined)).toEqual([])
  })
})
