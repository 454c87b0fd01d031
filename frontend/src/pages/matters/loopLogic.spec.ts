import { describe, expect, it } from 'vitest'
import type { MatterLoop } from '@/api/types'
import { MissingField } from './matterLogic'
import { bannersOf, buildLoopBody, emptyLoopInput, eventNote, formatDay, loopFieldsFor, loopHasContent, orderedActions, pendingOf, todayInBeijing } from './loopLogic'

// A stand-in for vue-i18n's t: the key and its values, so the tests read what was asked for.
const t = (key: string, values?: Record<string, unknown>) => (values ? `${key}${JSON.stringify(values)}` : key)

function missing(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof MissingField) return error.field
    throw error
  }
  return 'nothing missing'
}

function loop(overrides: Partial<MatterLoop> = {}): MatterLoop {
  return {
    rules: {},
    order_no: null,
    contact: { due_at: null, first_at: null, on_time: null, records: [] },
    applications: [],
    verification: { needed: false, close_on: 'rating', verified_at: null, verified_by: null, note: null, photos: [], sent_back: [] },
    callbacks: [],
    mediation: null,
    cooperators: [],
    ...overrides,
  }
}

const application = (over: Partial<MatterLoop['applications'][number]> = {}): MatterLoop['applications'][number] => ({
  id: 1,
  kind: 'extension',
  reason: '等材料',
  until: '2026-12-10T15:59:59Z',
  due_at_before: '2026-12-05T10:00:00Z',
  approver_level: 'station',
  applied_by: '网格长',
  applied_at: '2026-12-01T02:00:00Z',
  decision: null,
  decision_note: null,
  decided_by: null,
  decided_at: null,
  ...over,
})

describe('the fields of the new actions', () => {
  it('are those the record says each needs, a callback may also carry a note', () => {
    expect(loopFieldsFor('apply_extension', ['reason', 'until'])).toEqual(['until'])
    expect(loopFieldsFor('verify', ['note', 'photos'])).toEqual(['note', 'photos'])
    expect(loopFieldsFor('callback', ['answer'])).toEqual(['answer', 'note'])
    expect(loopFieldsFor('coordinate', ['departments', 'reason'])).toEqual(['departments'])
    expect(loopFieldsFor('resolve', ['result'])).toEqual([])
    expect(loopFieldsFor('accept', undefined)).toEqual([])
  })
})

describe('buildLoopBody', () => {
  it('builds a contact: how, answered, tries, what was agreed', () => {
    const input = emptyLoopInput()
    input.contact = { method: 'visit', answered: false, tries: '3', agreed: '  ' }
    expect(buildLoopBody('contact', ['contact'], input)).toEqual({ contact: { method: 'visit', answered: false, tries: 3 } })
    input.contact = { method: 'phone', answered: true, tries: 1, agreed: ' 周五上门 ' }
    expect(buildLoopBody('contact', ['contact'], input)).toEqual({ contact: { method: 'phone', answered: true, tries: 1, agreed: '周五上门' } })
    input.contact.tries = 0
    expect(missing(() => buildLoopBody('contact', ['contact'], input))).toBe('tries')
    input.contact = { method: 'pigeon', answered: true, tries: 1, agreed: '' }
    expect(missing(() => buildLoopBody('contact', ['contact'], input))).toBe('method')
  })

  it("asks an application for its date, named as the kind says", () => {
    const input = emptyLoopInput()
    expect(missing(() => buildLoopBody('apply_extension', ['reason', 'until'], input))).toBe('untilExtension')
    expect(missing(() => buildLoopBody('apply_suspension', ['reason', 'until'], input))).toBe('untilSuspension')
    input.until = '2026-12-10'
    expect(buildLoopBody('apply_extension', ['reason', 'until'], input)).toEqual({ until: '2026-12-10' })
  })

  it('a verification needs its note and at least one on-site photo, sent as ids', () => {
    const input = emptyLoopInput()
    expect(missing(() => buildLoopBody('verify', ['note', 'photos'], input))).toBe('verifyNote')
    input.note = '现场已拆除'
    expect(missing(() => buildLoopBody('verify', ['note', 'photos'], input))).toBe('photos')
    input.photos = [{ id: 5 }, { id: 9 }]
    expect(buildLoopBody('verify', ['note', 'photos'], input)).toEqual({ note: '现场已拆除', photos: [5, 9] })
  })

  it('a callback needs an answer; its note goes along only when written', () => {
    const input = emptyLoopInput()
    expect(missing(() => buildLoopBody('callback', ['answer'], input))).toBe('answer')
    input.answer = 'unreachable'
    expect(buildLoopBody('callback', ['answer'], input)).toEqual({ answer: 'unreachable' })
    input.answer = 'basically_satisfied'
    input.note = '希望再快些'
    expect(buildLoopBody('callback', ['answer'], input)).toEqual({ answer: 'basically_satisfied', note: '希望再快些' })
  })

  it('convenes each department once, and at least one', () => {
    const input = emptyLoopInput()
    expect(missing(() => buildLoopBody('coordinate', ['departments', 'reason'], input))).toBe('departments')
    input.departments = [3, 4, 3]
    expect(buildLoopBody('coordinate', ['departments', 'reason'], input)).toEqual({ departments: [3, 4] })
  })

  it("a co-operator's part is required text", () => {
    const input = emptyLoopInput()
    expect(missing(() => buildLoopBody('record_part', ['part'], input))).toBe('part')
    input.part = ' 已清运 '
    expect(buildLoopBody('record_part', ['part'], input)).toEqual({ part: '已清运' })
  })

  it('a mediation session: who, when, how it ended; the agreement only when agreed; parties without blank rows', () => {
    const input = emptyLoopInput(new Date('2026-12-01T20:00:00Z'))
    expect(input.session.held_on).toBe('2026-12-02') // today in Beijing
    expect(missing(() => buildLoopBody('mediate', ['session'], input))).toBe('mediators')
    input.session.mediators = '王站长、李调解员'
    expect(missing(() => buildLoopBody('mediate', ['session'], input))).toBe('outcome')
    input.session.outcome = 'agreed'
    expect(missing(() => buildLoopBody('mediate', ['session'], input))).toBe('agreement')
    input.session.agreement = '双方各退一步'
    input.session.follow_up_on = '2026-12-20'
    input.session.parties = [
      { name: '张三', phone: '13800000001', role: '楼上' },
      { name: '', phone: '', role: '' },
      { name: '李四', phone: '', role: '' },
    ]
    expect(buildLoopBody('mediate', ['session'], input)).toEqual({
      session: {
        held_on: '2026-12-02',
        mediators: '王站长、李调解员',
        outcome: 'agreed',
        agreement: '双方各退一步',
        follow_up_on: '2026-12-20',
        parties: [{ name: '张三', phone: '13800000001', role: '楼上' }, { name: '李四' }],
      },
    })
    input.session.outcome = 'continued' // the agreement typed before is not sent, nor are parties when none are filled in
    input.session.parties = [{ name: '', phone: '', role: '' }]
    expect(buildLoopBody('mediate', ['session'], input).session).toEqual({
      held_on: '2026-12-02',
      mediators: '王站长、李调解员',
      outcome: 'continued',
      follow_up_on: '2026-12-20',
    })
    input.session.parties = [{ name: '', phone: '13800000001', role: '' }]
    expect(missing(() => buildLoopBody('mediate', ['session'], input))).toBe('partyName')
  })
})

describe('what the record shows', () => {
  it('names a day in Beijing', () => {
    expect(formatDay('2026-12-10T15:59:59Z')).toBe('2026-12-10') // the end of the 10th in Beijing
    expect(formatDay('2026-12-10T16:30:00Z')).toBe('2026-12-11')
    expect(formatDay('2026-12-10')).toBe('2026-12-10')
    expect(formatDay(null)).toBe('')
    expect(todayInBeijing(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01')
  })

  it('banners: the pending application with its date, a suspension, verification, a contact owed', () => {
    const now = Date.parse('2026-12-02T00:00:00Z')
    const pending = loop({ applications: [application({ id: 1, decision: 'refused' }), application({ id: 2, kind: 'suspension', until: '2026-12-20T15:59:59Z' })] })
    expect(pendingOf(pending)?.id).toBe(2)
    expect(bannersOf({ status: 'accepted', pending_application: 'suspension' }, pending, t, now)).toEqual([
      { kind: 'pending', text: 'loop.pendingSuspension{"until":"2026-12-20"}' },
    ])
    expect(bannersOf({ status: 'handling', suspended_until: '2026-12-20T15:59:59Z' }, loop(), t, now)).toEqual([
      { kind: 'suspended', text: 'loop.suspendedUntil{"until":"2026-12-20"}' },
    ])
    expect(bannersOf({ status: 'handling', suspended_until: '2026-12-01T15:59:59Z' }, loop(), t, now)).toEqual([]) // over
    expect(bannersOf({ status: 'verifying' }, loop(), t, now).map((b) => b.kind)).toEqual(['verifying'])
    expect(bannersOf({ status: 'accepted', contact_due_at: '2026-12-02T08:00:00Z' }, loop(), t, now).map((b) => b.kind)).toEqual(['contact'])
    expect(bannersOf({ status: 'accepted', contact_due_at: '2026-12-02T08:00:00Z', first_contact_at: '2026-12-01T08:00:00Z' }, loop(), t, now)).toEqual([])
    expect(bannersOf({ status: 'resolved', contact_due_at: '2026-12-02T08:00:00Z' }, loop(), t, now)).toEqual([])
    // Someone who may not record the contact (a convened department, a supervisor) is told it is owed, not asked.
    const owed = { status: 'at_station', contact_due_at: '2026-12-02T08:00:00Z', actions: [{ action: 'record_part' }] }
    expect(bannersOf(owed, loop(), t, now)[0].text).toMatch(/^loop\.contactOwed/)
    const holder = { ...owed, actions: [{ action: 'contact' }, { action: 'resolve' }] }
    expect(bannersOf(holder, loop(), t, now)[0].text).toMatch(/^loop\.contactDue/)
    // The grid, which could settle it on the spot, reads that the contact comes first.
    const grid = { ...holder, status: 'submitted', actions: [{ action: 'accept' }, { action: 'contact' }] }
    expect(bannersOf(grid, loop(), t, now)[0].text).toMatch(/^loop\.contactBeforeOnSpot/)
  })

  it('puts 先行联系 first while it is owed, otherwise keeps the order of the table', () => {
    const actions = ['accept', 'bring_back', 'declare_emergency', 'contact'].map((action) => ({ action }))
    expect(orderedActions({ contact_due_at: '2026-12-02T08:00:00Z', actions })).toEqual(['contact', 'accept', 'bring_back', 'declare_emergency'])
    const contacted = { contact_due_at: '2026-12-02T08:00:00Z', first_contact_at: '2026-12-01T08:00:00Z', actions }
    expect(orderedActions(contacted)).toEqual(['accept', 'bring_back', 'declare_emergency', 'contact'])
    expect(orderedActions({ actions: [{ action: 'accept' }, { action: 'handle_on_spot' }] })).toEqual(['accept', 'handle_on_spot'])
  })

  it('shows the loop only when there is something in it', () => {
    expect(loopHasContent(null)).toBe(false)
    expect(loopHasContent(loop())).toBe(false)
    expect(loopHasContent(loop({ order_no: 'RX2026' }))).toBe(true)
    expect(loopHasContent(loop({ applications: [application()] }))).toBe(true)
    expect(loopHasContent(loop({ verification: { ...loop().verification, needed: true } }))).toBe(true)
  })

  it("says on the timeline what the new steps' data holds", () => {
    expect(eventNote('contact', { contact: { method: 'phone', answered: false, tries: 2, on_time: false } }, t)).toBe(
      'loop.methods.phone · loop.unanswered · loop.tries{"n":2} · loop.late',
    )
    expect(eventNote('apply_extension', { kind: 'extension', until: '2026-12-10T15:59:59Z', reason: '等材料' }, t)).toBe(
      'loop.kindUntil.extension{"until":"2026-12-10"} · 等材料',
    )
    expect(eventNote('approve_application', { kind: 'suspension', until: '2026-12-20T15:59:59Z' }, t)).toBe('loop.kindUntil.suspension{"until":"2026-12-20"}')
    expect(eventNote('verify', { note: '已拆除', photos: ['a', 'b'] }, t)).toBe('已拆除 · loop.photosN{"n":2}')
    expect(eventNote('callback', { answer: 'unreachable', tries: 2 }, t)).toBe('loop.answers.unreachable · loop.tries{"n":2}')
    expect(eventNote('mediate', { session: { held_on: '2026-12-01', outcome: 'failed' } }, t)).toBe('2026-12-01 · loop.outcomes.failed')
    expect(eventNote('coordinate', { names: ['城管', '应急局'], reason: '需联合处置' }, t)).toBe('loop.convened{"names":"城管、应急局"} · 需联合处置')
    expect(eventNote('record_part', { part: '已清运' }, t)).toBe('已清运')
    expect(eventNote('resolve', { result: '已清理' }, t)).toBe('已清理')
    expect(eventNote('send_back', { reason: '照片不清楚' }, t)).toBe('照片不清楚')
    expect(eventNote('accept', {}, t)).toBe('')
  })
})
