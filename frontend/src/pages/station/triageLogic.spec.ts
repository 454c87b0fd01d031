import { describe, expect, it } from 'vitest'
import { decisionBody, emptyFields, gridsOf, mapBatchResults, missingField } from './triageLogic'
import type { BatchAnswer, TriageGroup } from '@/api/station'

describe('mapBatchResults', () => {
  const answer: BatchAnswer = {
    decision: 'close',
    applied: [{ item_id: 11, matter_id: 101, tracking_code: 'A101', status: 'closed' }],
    refused: [
      { item_id: 12, matter_id: 102, tracking_code: 'A102', status: 409, code: 'already-decided', detail: 'The item was already decided (close)' },
    ],
  }

  it('lists each item in the order asked for: applied, or refused with the reason', () => {
    expect(mapBatchResults(answer, [12, 11])).toEqual([
      { itemId: 12, matterId: 102, trackingCode: 'A102', ok: false, status: null, reason: 'The item was already decided (close)' },
      { itemId: 11, matterId: 101, trackingCode: 'A101', ok: true, status: 'closed', reason: null },
    ])
  })

  it('keeps items the answer adds, falls back to the code, and copes with nothing', () => {
    const other: BatchAnswer = { decision: 'merge', applied: [], refused: [{ item_id: 9, matter_id: null, tracking_code: null, status: 404, code: 'not-found', detail: '' }] }
    expect(mapBatchResults(other, [])).toEqual([{ itemId: 9, matterId: null, trackingCode: null, ok: false, status: null, reason: 'not-found' }])
    expect(mapBatchResults(null, [1])).toEqual([])
  })
})

describe('decisions', () => {
  it('asks for what each decision needs', () => {
    const f = emptyFields()
    expect(missingField(f)).toBe('decision')
    expect(missingField({ ...f, decision: 'close' })).toBe('reason')
    expect(missingField({ ...f, decision: 'escalate' })).toBe('reason')
    expect(missingField({ ...f, decision: 'station' })).toBe('assignee')
    expect(missingField({ ...f, decision: 'merge', into: 'abc' })).toBe('into')
    expect(missingField({ ...f, decision: 'merge', into: '12' })).toBeNull()
    expect(missingField({ ...f, decision: 'close', reason: '已核实' })).toBeNull()
  })

  it('builds the bodies', () => {
    const f = emptyFields()
    expect(decisionBody({ ...f, decision: 'close', reason: ' 重复反映 ' })).toEqual({ decision: 'close', reason: '重复反映' })
    expect(decisionBody({ ...f, decision: 'station', assignee: '城管条线' })).toEqual({ decision: 'station', assignee: '城管条线' })
    expect(decisionBody({ ...f, decision: 'escalate', reason: '需街道协调', target: 'department:7' })).toEqual({
      decision: 'escalate',
      reason: '需街道协调',
      target: { level: 'department', department_id: 7 },
    })
    expect(decisionBody({ ...f, decision: 'escalate', reason: 'x' }).target).toEqual({ level: 'street' })
    expect(decisionBody({ ...f, decision: 'merge', into: '42' })).toEqual({ decision: 'merge', into: 42 })
  })

  it('lists the grids of a group with counts', () => {
    const item = (id: number, grid: string | null) => ({
      item_id: id,
      matter: { id, tracking_code: `C${id}`, description: '', grid: grid ? { id: 1, name: grid } : null, status: 'at_station' },
      decision: null,
      assignee: null,
      assignee_user: null,
      note: null,
      decided_at: null,
    })
    const group: TriageGroup = { category: { code: 'sanitation', name: '环境卫生' }, count: 3, items: [item(1, '一网格'), item(2, '二网格'), item(3, '一网格')] }
    expect(gridsOf(group)).toEqual([
      { name: '一网格', count: 2 },
      { name: '二网格', count: 1 },
    ])
  })
})
