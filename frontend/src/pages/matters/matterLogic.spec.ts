import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'
import {
  FormKey,
  actorText,
  MissingField,
  buildActionBody,
  fieldsFor,
  formatDuration,
  nearestDeadline,
  newUuid,
  placeErrorKey,
  remainingText,
  textFieldOf,
  validateReport,
  validateStaffReport,
} from './matterLogic'

const t = i18n.global.t as unknown as (key: string, values?: Record<string, unknown>) => string

// What the record's `actions[].needs` says for some actions (the backend's flow table; the app does not keep a copy).
const NEEDS: Record<string, string[]> = {
  accept: [],
  resolve: ['result'],
  return: ['reason'],
  escalate: ['reason', 'target'],
  close: ['reason'],
  merge: ['into'],
}

describe('action → fields', () => {
  it('takes the fields from what the record says each action needs', () => {
    expect(fieldsFor(['target', 'reason'])).toEqual(['reason', 'target'])
    expect(fieldsFor(['something_new'])).toEqual([])
    expect(fieldsFor(undefined)).toEqual([])
    expect(textFieldOf(NEEDS.resolve)).toBe('result')
    expect(textFieldOf(NEEDS.return)).toBe('reason')
    expect(textFieldOf(NEEDS.escalate)).toBe('reason')
    expect(textFieldOf(NEEDS.accept)).toBeNull()
    expect(textFieldOf(NEEDS.merge)).toBeNull()
  })

  it('builds the body of each kind of action', () => {
    expect(buildActionBody(NEEDS.accept, { text: 'ignored' })).toEqual({})
    expect(buildActionBody(NEEDS.resolve, { text: '  已清理  ' })).toEqual({ result: '已清理' })
    expect(buildActionBody(NEEDS.return, { text: '不属本部门' })).toEqual({ reason: '不属本部门' })
    expect(buildActionBody(NEEDS.escalate, { text: '需街道协调', target: 'street' })).toEqual({
      reason: '需街道协调',
      target: { level: 'street' },
    })
    // Omitting the department means the category's own department.
    expect(buildActionBody(NEEDS.escalate, { text: 'x', target: 'department' })).toEqual({ reason: 'x', target: { level: 'department' } })
    expect(buildActionBody(NEEDS.escalate, { text: 'x', target: 'department:7' })).toEqual({
      reason: 'x',
      target: { level: 'department', department_id: 7 },
    })
    expect(buildActionBody(NEEDS.merge, { into: '42' })).toEqual({ into: 42 })
  })

  it('refuses a body without the field the action needs', () => {
    expect(() => buildActionBody(NEEDS.resolve, { text: '   ' })).toThrow(MissingField)
    expect(() => buildActionBody(NEEDS.close, {})).toThrow(/reason/)
    expect(() => buildActionBody(NEEDS.merge, { into: 'abc' })).toThrow(/into/)
  })
})

describe('report form validation', () => {
  const ok = { category: 'sanitation', description: '垃圾', phone: '13812345678', lat: 28.1, lon: 113 }

  it('accepts a complete report', () => {
    expect(validateReport(ok)).toEqual([])
  })

  it('wants an 11-digit mobile number starting with 1', () => {
    for (const phone of ['', '1381234567', '138123456789', '23812345678', '1381234567a', '+8613812345678']) {
      expect(validateReport({ ...ok, phone }), phone).toEqual(['report.phoneInvalid'])
    }
  })

  it('requires a place, a category and a description', () => {
    expect(validateReport({ ...ok, lat: null, lon: null })).toEqual(['report.placeRequired'])
    expect(validateReport({ ...ok, category: null, description: '  ' })).toEqual([
      'report.categoryRequired',
      'report.descriptionRequired',
    ])
  })

  it('staff: place and phone optional, a result when handled on the spot', () => {
    const staff = { category: 'sanitation', description: 'x', phone: '', handledOnSpot: false, result: '' }
    expect(validateStaffReport(staff)).toEqual([])
    expect(validateStaffReport({ ...staff, handledOnSpot: true })).toEqual(['matters.resultRequired'])
    expect(validateStaffReport({ ...staff, phone: 'abc' })).toEqual(['matters.phoneInvalidStaff'])
    expect(validateStaffReport({ ...staff, phone: '0731-8888888' })).toEqual([])
  })

  it('recognises the server refusing a point outside every grid', () => {
    const outside = new ApiError(422, 'outside', {
      status: 422,
      detail: 'The place you chose is outside the grids we serve',
      errors: [{ loc: ['body', 'lat'], msg: 'not inside any grid', type: 'value_error' }],
    })
    expect(placeErrorKey(outside)).toBe('report.outsideGrid')
    expect(placeErrorKey(new ApiError(422, 'x', { errors: [{ loc: ['body', 'phone'], msg: 'bad', type: 'x' }] }))).toBeNull()
    expect(placeErrorKey(new ApiError(0, 'offline'))).toBeNull()
  })
})

describe('idempotency key', () => {
  it('is a UUID, stays the same for retries of one form and changes for the next form', () => {
    const key = new FormKey()
    const first = key.current
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(key.current).toBe(first)
    expect(key.renew()).not.toBe(first)
    expect(newUuid()).not.toBe(newUuid())
  })
})

describe('deadlines', () => {
  const now = Date.parse('2026-03-02T08:00:00Z')

  it('says how long is left or how long it is overdue', () => {
    expect(formatDuration(60 * 26 + 5, t)).toBe('1天2小时')
    expect(formatDuration(125, t)).toBe('2小时5分钟')
    expect(formatDuration(9, t)).toBe('9分钟')
    expect(remainingText('2026-03-02T10:30:00Z', t, now)).toBe('剩余 2小时30分钟')
    expect(remainingText('2026-03-02T07:00:00Z', t, now)).toBe('已超时 1小时')
    expect(remainingText(null, t, now)).toBe('')
  })

  it('picks the earliest pending deadline', () => {
    expect(nearestDeadline({ sign_due_at: '2026-03-02T10:00:00Z', due_at: '2026-03-03T10:00:00Z' })).toBe('2026-03-02T10:00:00Z')
    expect(nearestDeadline({ sign_due_at: null, due_at: '2026-03-03T10:00:00Z' })).toBe('2026-03-03T10:00:00Z')
    expect(nearestDeadline({ sign_due_at: null, due_at: null })).toBeNull()
  })
})

describe('actorText', () => {
  it('names the resident and the platform in the app words, staff by their account', () => {
    expect(actorText('resident', t)).toBe('居民')
    expect(actorText('system', t)).toBe('系统')
    expect(actorText('leader1', t)).toBe('leader1')
  })
})
