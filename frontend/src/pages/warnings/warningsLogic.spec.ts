import { describe, expect, it } from 'vitest'
import { ackProgress, defaultValidUntil, formProblems, isAlarming, issueBody, levelColour, sortWarnings } from './warningsLogic'

const NOW = new Date(2026, 11, 2, 10, 0)

describe('warnings logic', () => {
  it('opens the full-screen alert for orange and red only', () => {
    expect(['blue', 'yellow', 'orange', 'red', null].map(isAlarming)).toEqual([false, false, true, true, false])
  })

  it('gives each level its colour and unknown ones grey', () => {
    expect(levelColour('red')).toBe('#c8102e')
    expect(levelColour('purple')).toBe('#646566')
  })

  it('defaults the validity to a day ahead in local time', () => {
    expect(defaultValidUntil(NOW)).toBe('2026-12-03T10:00')
    expect(defaultValidUntil(NOW, 6)).toBe('2026-12-02T16:00')
  })

  it('names what is missing in the form', () => {
    const ok = { kind: 'rainstorm', level: 'red', text: '暴雨', validUntil: '2026-12-03T10:00', gridIds: [2] }
    expect(formProblems(ok, NOW)).toEqual([])
    expect(formProblems({ ...ok, text: '  ', gridIds: [] }, NOW)).toEqual(['text', 'grids'])
    expect(formProblems({ ...ok, validUntil: '2026-12-01T10:00' }, NOW)).toEqual(['validUntilPast'])
    expect(formProblems({ ...ok, validUntil: '' }, NOW)).toEqual(['validUntil'])
  })

  it('sends the grids once each, in order, and the time as an instant', () => {
    const body = issueBody({ kind: 'heat', level: 'yellow', text: ' 高温 ', validUntil: '2026-12-03T10:00', gridIds: [5, 2, 5] })
    expect(body.grid_ids).toEqual([2, 5])
    expect(body.text).toBe('高温')
    expect(Date.parse(body.valid_until)).toBe(new Date(2026, 11, 3, 10, 0).getTime())
  })

  it('counts acknowledgements', () => {
    expect(ackProgress({ acknowledged_total: 3, recipients_total: 5 })).toBe('3/5')
  })

  it('lists active warnings first, the most severe first, then the newest', () => {
    const rows = [
      { id: 1, status: 'lifted', level: 'red', issued_at: '2026-12-02T03:00:00Z' },
      { id: 2, status: 'active', level: 'yellow', issued_at: '2026-12-02T02:00:00Z' },
      { id: 3, status: 'active', level: 'red', issued_at: '2026-12-01T02:00:00Z' },
      { id: 4, status: 'lifted', level: 'blue', issued_at: '2026-12-02T04:00:00Z' },
    ]
    expect(sortWarnings(rows).map((w) => w.id)).toEqual([3, 2, 4, 1])
  })
})
