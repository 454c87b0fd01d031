import { describe, expect, it } from 'vitest'
import type { SweepTask } from '@/api/sweeps'
import { addDays, emptyForm, formProblems, percent, sections, shanghaiDay, sweepBody, tickBody, withPending } from './sweepsLogic'

const task = (id: number, unit: string, floor: number, result: SweepTask['result'] = null): SweepTask => ({
  id, sweep_id: 1, house_id: id, label: `1栋${unit}单元${floor}0${id}`, grid_id: 1, building_id: 1, building_name: '1栋',
  unit, floor, room: `${floor}0${id}`, use: 'owner_occupied', result, note: null, ticked_at: null, ticked_by_name: null, ticks: 0,
})

describe('sweeps logic', () => {
  it('takes days in Shanghai and adds days across a month', () => {
    expect(shanghaiDay(new Date('2026-12-01T17:00:00Z'))).toBe('2026-12-02')
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04')
  })

  it('checks the form and builds the body', () => {
    const f = emptyForm('2026-12-02')
    expect(formProblems(f, '2026-12-02')).toEqual(['name', 'nothingChosen'])
    Object.assign(f, { title: ' 疫情排查 ', gridIds: [3, 4], note: '  ' })
    expect(formProblems(f, '2026-12-02')).toEqual([])
    expect(formProblems({ ...f, dueOn: '2026-12-01' }, '2026-12-02')).toEqual(['dueOn'])
    expect(sweepBody(f)).toEqual({ title: '疫情排查', purpose: 'epidemic', grid_ids: [3, 4], start_on: '2026-12-02', due_on: '2026-12-09' })
  })

  it('needs a note for an abnormal household only', () => {
    const at = new Date('2026-12-02T01:00:00Z')
    expect(tickBody('abnormal', ' ', at)).toBe('noteRequired')
    expect(tickBody('abnormal', '发热', at)).toEqual({ result: 'abnormal', note: '发热', ticked_at: '2026-12-02T01:00:00.000Z' })
    expect(tickBody('absent', '', at)).toEqual({ result: 'absent', ticked_at: '2026-12-02T01:00:00.000Z' })
  })

  it('shows a waiting tick over the server result and groups by unit and floor', () => {
    const rows = withPending([task(1, '1', 1, 'absent'), task(2, '1', 1), task(3, '1', 2), task(4, '2', 1)], new Map([[1, { result: 'normal' as const }]]))
    expect(rows.map((r) => [r.result, r.pending])).toEqual([['normal', true], [null, false], [null, false], [null, false]])
    expect(sections(rows).map((s) => [s.unit, s.floor, s.items.length])).toEqual([['1', 1, 2], ['1', 2, 1], ['2', 1, 1]])
    expect(percent({ done: 1, total: 3 })).toBe(33)
    expect(percent({ done: 0, total: 0 })).toBe(0)
  })
})
