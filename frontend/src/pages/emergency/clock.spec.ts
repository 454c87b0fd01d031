import { describe, expect, it } from 'vitest'
import { clockView, formatDuration, isLate, kindsAfter, musterSeconds, severityLabel } from './clock'

const NOW = Date.parse('2026-11-29T10:00:00Z')

describe('report clock', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('00:00')
    expect(formatDuration(59)).toBe('00:59')
    expect(formatDuration(61)).toBe('01:01')
    expect(formatDuration(-125)).toBe('02:05')
    expect(formatDuration(3600 + 62)).toBe('1:01:02')
  })

  it('counts down to the next report', () => {
    const v = clockView({ next_kind: 'first', next_due_at: '2026-11-29T10:29:30Z', overdue: false }, NOW)
    expect(v).toEqual({ kind: 'first', seconds: 1770, overdue: false, text: '29:30' })
  })

  it('shows the time past due once overdue, by the server or by the clock', () => {
    expect(clockView({ next_kind: 'followup', next_due_at: '2026-11-29T09:58:55Z', overdue: false }, NOW)).toEqual({
      kind: 'followup',
      seconds: -65,
      overdue: true,
      text: '-01:05',
    })
    const server = clockView({ next_kind: 'followup', next_due_at: '2026-11-29T10:00:10Z', overdue: true }, NOW)
    expect(server.overdue).toBe(true)
    expect(server.text).toBe('-00:00')
  })

  it('is empty when no report is due', () => {
    expect(clockView({ next_kind: null, next_due_at: null, overdue: false }, NOW).text).toBe('')
    expect(clockView(undefined, NOW).kind).toBeNull()
  })

  it('picks the next kinds: first, then follow-up or final, then none', () => {
    expect(kindsAfter([])).toEqual(['first'])
    expect(kindsAfter([{ kind: 'first' }])).toEqual(['followup', 'final'])
    expect(kindsAfter([{ kind: 'first' }, { kind: 'followup' }])).toEqual(['followup', 'final'])
    expect(kindsAfter([{ kind: 'first' }, { kind: 'final' }])).toEqual([])
  })

  it('reads lateness, muster and severity', () => {
    expect(isLate({ late: false, late_seconds: 0 })).toBe(false)
    expect(isLate({ late: true, late_seconds: 30 })).toBe(true)
    expect(musterSeconds('2026-11-29T10:00:00Z', ['2026-11-29T10:03:00Z', '2026-11-29T10:04:30Z'])).toBe(270)
    expect(musterSeconds('2026-11-29T10:00:00Z', ['2026-11-29T10:03:00Z', null])).toBeNull()
    expect(severityLabel(1)).toBe('I')
    expect(severityLabel(4)).toBe('IV')
  })
})
