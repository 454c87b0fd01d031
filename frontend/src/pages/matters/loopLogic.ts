// Pure helpers of the steps around the routes (issue 11) on the record screen: the body of the new actions' fields
// (contact first, an application's date, a verification's note and photos, a callback's answer, a mediation
// session, the departments convened, a co-operator's part), what the timeline says of their events, and what the
// record's banner says. Kept free of Vue so the unit tests can pin them down.
import type { ActionBody, MatterLoop } from '@/api/types'
import { MissingField, formatDateTime } from './matterLogic'

/** Actions whose buttons are styled as dangerous (they refuse, send back or end something). */
export const DANGER = new Set(['return', 'review_return', 'refuse', 'close', 'declare_emergency', 'refuse_application', 'send_back'])

export type LoopField = 'contact' | 'until' | 'note' | 'photos' | 'answer' | 'session' | 'departments' | 'part'

const LOOP_ORDER: LoopField[] = ['contact', 'session', 'until', 'answer', 'departments', 'part', 'note', 'photos']

export const CONTACT_METHODS = ['phone', 'sms', 'visit', 'other'] as const
export const ANSWERS = ['satisfied', 'basically_satisfied', 'not_satisfied', 'unreachable'] as const
export const OUTCOMES = ['agreed', 'continued', 'failed'] as const

/** Fields an action may carry without needing them: a callback's note (what the resident said). */
const OPTIONAL: Record<string, LoopField[]> = { callback: ['note'] }

/** The new fields of an action's dialog: those the record says it needs, then those it may carry, in a fixed order. */
export function loopFieldsFor(action: string | null, needs: readonly string[] | undefined): LoopField[] {
  const optional = (action && OPTIONAL[action]) || []
  return LOOP_ORDER.filter((f) => needs?.includes(f) || optional.includes(f))
}

export interface Party {
  name: string
  phone: string
  role: string
}

export interface LoopInput {
  contact: { method: string; answered: boolean; tries: string | number; agreed: string }
  until: string
  note: string
  photos: { id: number }[]
  answer: string
  session: {
    held_on: string
    mediators: string
    outcome: string
    note: string
    agreement: string
    follow_up_on: string
    parties: Party[]
  }
  departments: number[]
  part: string
}

/** Today in Beijing, as a date input's value (YYYY-MM-DD). */
export function todayInBeijing(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now)
}

export function emptyLoopInput(now: Date = new Date()): LoopInput {
  return {
    contact: { method: 'phone', answered: true, tries: 1, agreed: '' },
    until: '',
    note: '',
    photos: [],
    answer: '',
    session: { held_on: todayInBeijing(now), mediators: '', outcome: '', note: '', agreement: '', follow_up_on: '', parties: [] },
    departments: [],
    part: '',
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/

/** The new fields' part of an action's body, or MissingField naming (the label of) what is missing. Optional
 * fields (a callback's note) are sent only when filled in. */
export function buildLoopBody(action: string | null, needs: readonly string[] | undefined, input: LoopInput): ActionBody {
  const body: ActionBody = {}
  const required = (f: LoopField) => !!needs?.includes(f)
  for (const field of loopFieldsFor(action, needs)) {
    if (field === 'contact') {
      const c = input.contact
      if (!(CONTACT_METHODS as readonly string[]).includes(c.method)) throw new MissingField('method')
      const tries = Number(String(c.tries).trim())
      if (!Number.isInteger(tries) || tries < 1 || tries > 20) throw new MissingField('tries')
      const agreed = c.agreed.trim()
      body.contact = { method: c.method as (typeof CONTACT_METHODS)[number], answered: c.answered, tries, ...(agreed ? { agreed } : {}) }
    } else if (field === 'until') {
      if (!DAY_RE.test(input.until)) throw new MissingField(action === 'apply_suspension' ? 'untilSuspension' : 'untilExtension')
      body.until = input.until
    } else if (field === 'note' || field === 'part') {
      const text = input[field].trim()
      if (text) body[field] = text
      else if (required(field)) throw new MissingField(action === 'verify' ? 'verifyNote' : field)
    } else if (field === 'photos') {
      if (!input.photos.length) throw new MissingField('photos')
      body.photos = input.photos.map((p) => p.id)
    } else if (field === 'answer') {
      if (!(ANSWERS as readonly string[]).includes(input.answer)) throw new MissingField('answer')
      body.answer = input.answer as (typeof ANSWERS)[number]
    } else if (field === 'departments') {
      if (!input.departments.length) throw new MissingField('departments')
      body.departments = [...new Set(input.departments)]
    } else if (field === 'session') {
      body.session = sessionBody(input.session)
    }
  }
  return body
}

function sessionBody(s: LoopInput['session']): NonNullable<ActionBody['session']> {
  if (!DAY_RE.test(s.held_on)) throw new MissingField('heldOn')
  const mediators = s.mediators.trim()
  if (!mediators) throw new MissingField('mediators')
  if (!(OUTCOMES as readonly string[]).includes(s.outcome)) throw new MissingField('outcome')
  const agreement = s.agreement.trim()
  if (s.outcome === 'agreed' && !agreement) throw new MissingField('agreement')
  const parties = s.parties
    .map((p) => ({ name: p.name.trim(), phone: p.phone.trim(), role: p.role.trim() }))
    .filter((p) => p.name || p.phone || p.role)
  if (parties.some((p) => !p.name)) throw new MissingField('partyName')
  const note = s.note.trim()
  return {
    held_on: s.held_on,
    mediators,
    outcome: s.outcome as (typeof OUTCOMES)[number],
    ...(note ? { note } : {}),
    ...(s.outcome === 'agreed' ? { agreement } : {}),
    ...(s.follow_up_on ? { follow_up_on: s.follow_up_on } : {}),
    // Sent only when some are filled in: the backend then replaces those recorded (null keeps them).
    ...(parties.length ? { parties: parties.map((p) => ({ name: p.name, ...(p.phone ? { phone: p.phone } : {}), ...(p.role ? { role: p.role } : {}) })) } : {}),
  }
}

// --- what the record shows -----------------------------------------------------------------------------------------

type T = (key: string, values?: Record<string, unknown>) => string

/** A date (or the end of a day) as its day in Beijing, YYYY-MM-DD. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return ''
  if (DAY_RE.test(iso)) return iso
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : todayInBeijing(d)
}

/** The application awaiting a decision, if any (the last without one). */
export function pendingOf(loop: MatterLoop | null | undefined): MatterLoop['applications'][number] | null {
  const pending = (loop?.applications ?? []).filter((a) => !a.decision)
  return pending.length ? pending[pending.length - 1] : null
}

/** The record's banners: an application awaiting a decision, a suspension, a resolution awaiting verification,
 * a first contact still owed. Each as [kind, text]; the kind styles it. */
export function bannersOf(
  matter: {
    status: string
    pending_application?: string | null
    suspended_until?: string | null
    contact_due_at?: string | null
    first_contact_at?: string | null
    actions?: readonly { action: string }[]
  },
  loop: MatterLoop | null | undefined,
  t: T,
  now: number = Date.now(),
): { kind: 'pending' | 'suspended' | 'verifying' | 'contact'; text: string }[] {
  const out: { kind: 'pending' | 'suspended' | 'verifying' | 'contact'; text: string }[] = []
  const pending = pendingOf(loop)
  const kind = pending?.kind ?? matter.pending_application
  if (kind) {
    const key = kind === 'suspension' ? 'loop.pendingSuspension' : 'loop.pendingExtension'
    out.push({ kind: 'pending', text: t(key, { until: pending ? formatDay(pending.until) : '' }) })
  }
  if (matter.suspended_until && Date.parse(matter.suspended_until) > now) {
    out.push({ kind: 'suspended', text: t('loop.suspendedUntil', { until: formatDay(matter.suspended_until) }) })
  }
  if (matter.status === 'verifying') out.push({ kind: 'verifying', text: t('loop.awaitingVerification') })
  const open = !['verifying', 'resolved', 'closed', 'merged'].includes(matter.status)
  if (open && matter.contact_due_at && !matter.first_contact_at) {
    // Asked of the one who may record it; the others (a supervisor, a convened department) read that it is owed.
    const mine = !matter.actions || matter.actions.some((a) => a.action === 'contact')
    // The grid, which could settle it on the spot, reads why it cannot yet (flow.py: contact first).
    const grid = mine && ['submitted', 'accepted'].includes(matter.status)
    const key = grid ? 'loop.contactBeforeOnSpot' : mine ? 'loop.contactDue' : 'loop.contactOwed'
    out.push({ kind: 'contact', text: t(key, { at: formatDateTime(matter.contact_due_at) }) })
  }
  return out
}

/** The record's buttons in order: 先行联系 leads while it is owed (the requester hears from the holder first, and
 * on-the-spot handling waits for it); otherwise the table's order. */
export function orderedActions(matter: {
  contact_due_at?: string | null
  first_contact_at?: string | null
  actions: readonly { action: string }[]
}): string[] {
  const list = matter.actions.map((a) => a.action)
  const owed = !!matter.contact_due_at && !matter.first_contact_at && list.includes('contact')
  return owed ? ['contact', ...list.filter((a) => a !== 'contact')] : list
}

/** What a timeline entry says beyond its action: the new steps' data, else the reason or result it carried. */
export function eventNote(action: string, data: Record<string, unknown> | null | undefined, t: T): string {
  const d = (data ?? {}) as Record<string, any> // the events' data as the service recorded it (matters/loop.py)
  const text = (v: unknown) => (typeof v === 'string' ? v : '')
  const parts: string[] = []
  if (action === 'contact' && d.contact) {
    const c = d.contact
    parts.push(t(`loop.methods.${c.method}`), t(c.answered ? 'loop.answered' : 'loop.unanswered'))
    if (c.tries > 1) parts.push(t('loop.tries', { n: c.tries }))
    if (c.on_time === false) parts.push(t('loop.late'))
    if (c.agreed) parts.push(t('loop.agreedText', { text: c.agreed }))
  } else if (['apply_extension', 'apply_suspension', 'approve_application', 'refuse_application'].includes(action)) {
    if (d.kind && d.until) parts.push(t(`loop.kindUntil.${d.kind}`, { until: formatDay(d.until) }))
    if (d.reason) parts.push(text(d.reason))
  } else if (action === 'verify') {
    if (d.note) parts.push(text(d.note))
    if (Array.isArray(d.photos) && d.photos.length) parts.push(t('loop.photosN', { n: d.photos.length }))
  } else if (action === 'callback') {
    if (d.answer) parts.push(t(`loop.answers.${d.answer}`))
    if (d.answer === 'unreachable' && d.tries) parts.push(t('loop.tries', { n: d.tries }))
    if (d.note) parts.push(text(d.note))
  } else if (action === 'mediate' && d.session) {
    parts.push(formatDay(d.session.held_on), t(`loop.outcomes.${d.session.outcome}`))
  } else if (action === 'coordinate') {
    if (Array.isArray(d.names) && d.names.length) parts.push(t('loop.convened', { names: d.names.join('、') }))
    if (d.reason) parts.push(text(d.reason))
  } else if (action === 'record_part') {
    parts.push(text(d.part))
  } else {
    parts.push(text(d.reason) || text(d.result))
    if (typeof d.after_photos === 'number' && d.after_photos) parts.push(t('loop.photosN', { n: d.after_photos }))
  }
  return parts.filter(Boolean).join(' · ')
}

/** Whether the loop has anything to show beyond its rules. */
export function loopHasContent(loop: MatterLoop | null | undefined): boolean {
  if (!loop) return false
  return !!(
    loop.order_no ||
    loop.contact.due_at ||
    loop.contact.records.length ||
    loop.applications.length ||
    loop.verification.needed ||
    loop.verification.verified_at ||
    loop.verification.sent_back.length ||
    loop.callbacks.length ||
    loop.mediation ||
    loop.cooperators.length
  )
}
