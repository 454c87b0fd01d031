import { describe, expect, it } from 'vitest'
import type { AppNotification } from '@/api/types'
import { ALERT_MAX_AGE_MS, alertKind, isDueAlert } from './alertLogic'
import { alertPath, alertQueue } from './alertQueue'

const NOW = Date.parse('2026-03-02T10:00:00Z')

function n(id: number, fields: Partial<AppNotification> = {}): AppNotification {
  return {
    id,
    topic: 'matter.created',
    title: `通知${id}`,
    body: '',
    matter_id: null,
    created_at: new Date(NOW - id * 60_000).toISOString(),
    read_at: null,
    incident_id: null,
    activation_id: null,
    action: null,
    matter_status: null,
    place: null,
    ...fields,
  }
}

describe('alertKind', () => {
  it('alerts for incidents, call-outs and matters declared emergencies', () => {
    expect(alertKind(n(1, { topic: 'incident.raised', incident_id: 4 }))).toBe('incident')
    expect(alertKind(n(2, { topic: 'incident.activation', incident_id: 4, activation_id: 9 }))).toBe('callout')
    expect(alertKind(n(3, { topic: 'matter.created', matter_status: 'emergency' }))).toBe('emergency')
    expect(alertKind(n(4, { topic: 'matter.changed', action: 'declare_emergency', matter_status: 'emergency' }))).toBe('emergency')
  })

  it('does not alert for ordinary news, read notifications or later steps of an emergency matter', () => {
    expect(alertKind(n(1))).toBeNull()
    expect(alertKind(n(2, { topic: 'matter.changed', action: 'assign', matter_status: 'accepted' }))).toBeNull()
    expect(alertKind(n(3, { topic: 'matter.changed', action: 'note', matter_status: 'emergency' }))).toBeNull()
    expect(alertKind(n(4, { topic: 'incident.reported', incident_id: 4 }))).toBeNull()
    expect(alertKind(n(5, { topic: 'incident.raised', read_at: new Date(NOW).toISOString() }))).toBeNull()
  })
})

describe('isDueAlert', () => {
  it('is due while unread, recent and not answered here', () => {
    const fire = n(1, { topic: 'incident.raised' })
    expect(isDueAlert(fire, NOW, new Set())).toBe(true)
    expect(isDueAlert(fire, NOW, new Set([1]))).toBe(false)
    expect(isDueAlert(fire, NOW + ALERT_MAX_AGE_MS, new Set())).toBe(false)
    expect(isDueAlert(n(2), NOW, new Set())).toBe(false)
  })
})

describe('alertQueue', () => {
  it('queues call-outs first, then incidents and emergency matters, oldest first within each', () => {
    const items = [
      n(1, { topic: 'incident.raised' }),
      n(2, { topic: 'matter.changed', action: 'declare_emergency' }),
      n(3),
      n(4, { topic: 'incident.raised' }),
      n(5, { topic: 'incident.activation', activation_id: 7 }),
    ]
    expect(alertQueue(items, NOW).map((a) => a.id)).toEqual([5, 4, 1, 2])
  })

  it('leaves out what was acknowledged here, old alerts and repeats', () => {
    const old = n(1, { topic: 'incident.raised', created_at: new Date(NOW - ALERT_MAX_AGE_MS - 1).toISOString() })
    const items = [old, n(2, { topic: 'incident.raised' }), n(3, { topic: 'incident.raised' }), n(3, { topic: 'incident.raised' })]
    expect(alertQueue(items, NOW, new Set([2])).map((a) => a.id)).toEqual([3])
    expect(alertQueue([], NOW)).toEqual([])
  })
})

describe('alertPath', () => {
  it('opens the incident before the matter', () => {
    expect(alertPath(n(1, { incident_id: 4, matter_id: 8 }))).toBe('/incidents/4')
    expect(alertPath(n(2, { matter_id: 8 }))).toBe('/matters/8')
    expect(alertPath(n(3))).toBeNull()
  })
})

describe('early warnings 预警', () => {
  it('alerts for orange and red warnings only, after the emergencies, and 查看 opens the warning', () => {
    const red = n(1, { topic: 'warning.issued', warning_id: 7, warning_level: 'red' })
    const orange = n(2, { topic: 'warning.issued', warning_id: 8, warning_level: 'orange' })
    const yellow = n(3, { topic: 'warning.issued', warning_id: 9, warning_level: 'yellow' })
    const lifted = n(4, { topic: 'warning.lifted', warning_id: 7, warning_level: 'red' })
    expect([red, orange, yellow, lifted].map(alertKind)).toEqual(['warning', 'warning', null, null])
    const incident = n(5, { topic: 'incident.raised', incident_id: 4 })
    expect(alertQueue([red, yellow, incident, orange], NOW).map((x) => x.id)).toEqual([5, 2, 1])
    expect(alertPath(red)).toBe('/warnings/7')
  })
})
