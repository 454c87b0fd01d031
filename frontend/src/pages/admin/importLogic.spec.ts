import { describe, expect, it } from 'vitest'
import type { ImportReport, ImportRow } from '@/api/admin'
import { IMPORT_KINDS, canApply, cellText, ordered, problemKey } from './importLogic'

const row = (n: number, status: ImportRow['status'], cells: Record<string, string> = {}): ImportRow => ({ row: n, status, problems: [], cells })
const report = (r: Partial<ImportReport>): ImportReport => ({ rows: [], new: 0, same: 0, error: 0, applied: false, created: 0, ...r })

describe('importLogic', () => {
  it('names a problem by its own message, else by its field', () => {
    const known = new Set(['admin.import.problems.grid-outside'])
    const has = (k: string) => known.has(k)
    expect(problemKey('grid-outside', has)).toEqual({ key: 'admin.import.problems.grid-outside' })
    expect(problemKey('floors-invalid', has)).toEqual({ key: 'admin.import.problems.field-invalid', field: 'floors' })
    expect(problemKey('start_date-required', has)).toEqual({ key: 'admin.import.problems.field-required', field: 'start_date' })
    expect(problemKey('odd', has)).toEqual({ key: 'admin.import.problems.unknown' })
  })

  it('shows codes in words and empty cells as a dash', () => {
    const role = IMPORT_KINDS.team.columns.find((c) => c.key === 'team_role')!
    const has = (k: string) => k === 'admin.people.teamRoles.building_head'
    const t = (k: string) => (k === 'admin.people.teamRoles.building_head' ? '楼长' : k)
    expect(cellText(row(2, 'new', { team_role: 'building_head' }), role, has, t)).toBe('楼长')
    expect(cellText(row(2, 'new', { team_role: '队长' }), role, has, t)).toBe('队长')
    expect(cellText(row(2, 'new', {}), role, has, t)).toBe('—')
  })

  it('offers to apply only a file with new rows and none wrong, once', () => {
    expect(canApply(null, false)).toBe(false)
    expect(canApply(report({ new: 2 }), false)).toBe(true)
    expect(canApply(report({ new: 2, error: 1 }), false)).toBe(false)
    expect(canApply(report({ same: 2 }), false)).toBe(false)
    expect(canApply(report({ new: 2 }), true)).toBe(false)
  })

  it('lists the wrong rows first, then the new, then those already there', () => {
    const rows = [row(2, 'same'), row(3, 'new'), row(4, 'error'), row(5, 'new'), row(6, 'error')]
    expect(ordered(rows).map((r) => r.row)).toEqual([4, 6, 3, 5, 2])
  })

  it('has a template and an upload for every list', () => {
    for (const spec of Object.values(IMPORT_KINDS)) {
      expect(spec.path).toMatch(/\/import$/)
      expect(spec.template).toMatch(/\.xlsx$/)
      expect(spec.columns.length).toBeGreaterThan(2)
    }
  })
})
