// Pure helpers of the matter screens: the fields an action needs (as the record lists them), how its body is built, deadlines as text,
// form validation, idempotency keys. Kept free of Vue so the unit tests can pin them down.
import { ApiError } from '@/api/client'
import type { ActionBody, HolderLevel, MatterStatus } from '@/api/types'

export const STATUSES: MatterStatus[] = [
  'submitted',
  'accepted',
  'at_station',
  'escalated',
  'handling',
  'emergency',
  'approval_review',
  'approval_decision',
  'public_notice',
  'verifying',
  'resolved',
  'closed',
  'merged',
]

export const HOLDER_LEVELS: HolderLevel[] = ['grid', 'station', 'street', 'department']

export type ActionField = 'reason' | 'result' | 'target' | 'into'

const FIELD_ORDER: ActionField[] = ['reason', 'result', 'target', 'into']

/** The fields an action's body must carry, as the record lists them (`actions[].needs`, the backend's flow
 * table), in a fixed order; fields this build does not know are left out. */
export function fieldsFor(needs: readonly string[] | undefined): ActionField[] {
  return FIELD_ORDER.filter((f) => needs?.includes(f))
}

/** The one free-text field of an action (reason or result), if it has one. */
export function textFieldOf(needs: readonly string[] | undefined): 'reason' | 'result' | null {
  const fields = fieldsFor(needs)
  if (fields.includes('result')) return 'result'
  if (fields.includes('reason')) return 'reason'
  return null
}

/** Escalation target as chosen in the dialog: 'street', 'department' (the category's own) or 'department:<id>'. */
export type TargetChoice = string

export interface ActionInput {
  text?: string
  target?: TargetChoice
  into?: string | number
}

/** Builds the JSON body of an action from the fields it needs, or throws an Error naming the missing field. */
export function buildActionBody(needs: readonly string[] | undefined, input: ActionInput): ActionBody {
  const body: ActionBody = {}
  for (const field of fieldsFor(needs)) {
    if (field === 'reason' || field === 'result') {
      const text = (input.text ?? '').trim()
      if (!text) throw new MissingField(field)
      body[field] = text
    } else if (field === 'target') {
      const choice = input.target || 'department'
      if (choice === 'street') body.target = { level: 'street' }
      else {
        const id = Number(choice.split(':')[1])
        body.target = Number.isInteger(id) && id > 0 ? { level: 'department', department_id: id } : { level: 'department' }
      }
    } else if (field === 'into') {
      const id = Number(String(input.into ?? '').trim())
      if (!Number.isInteger(id) || id <= 0) throw new MissingField('into')
      body.into = id
    }
  }
  return body
}

export class MissingField extends Error {
  /** `field` names the label matters.fields.<field> (an action's field, or a part of one: loopLogic). */
  constructor(readonly field: string) {
    super(`missing ${field}`)
    this.name = 'MissingField'
  }
}

// --- time --------------------------------------------------------------------------------------------------------

/** Minutes from now to `iso` (negative when past), or null without a date. */
export function minutesUntil(iso: string | null | undefined, now: number = Date.now()): number | null {
  if (!iso) return null
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return null
  return Math.round((at - now) / 60000)
}

/** Splits minutes into days/hours/minutes, dropping zero parts (always at least one part). */
export function durationParts(totalMinutes: number): { days: number; hours: number; minutes: number } {
  const m = Math.abs(totalMinutes)
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), minutes: m % 60 }
}

export function formatDuration(totalMinutes: number, t: (key: string, values?: Record<string, unknown>) => string): string {
  const { days, hours, minutes } = durationParts(totalMinutes)
  if (days) return t('matters.days', { n: days }) + (hours ? t('matters.hours', { n: hours }) : '')
  if (hours) return t('matters.hours', { n: hours }) + (minutes ? t('matters.minutes', { n: minutes }) : '')
  return t('matters.minutes', { n: minutes })
}

/** "剩余 2天3小时" / "已超时 5小时" for the nearest deadline, or '' without one. */
export function remainingText(
  iso: string | null | undefined,
  t: (key: string, values?: Record<string, unknown>) => string,
  now: number = Date.now(),
): string {
  const minutes = minutesUntil(iso, now)
  if (minutes === null) return ''
  const time = formatDuration(minutes, t)
  return minutes < 0 ? t('matters.overTime', { time }) : t('matters.leftTime', { time })
}

/** The deadline that matters now: the sign-for limit while it is pending, else the completion limit. */
export function nearestDeadline(d: { sign_due_at: string | null; due_at: string | null }): string | null {
  const candidates = [d.sign_due_at, d.due_at].filter((x): x is string => !!x)
  if (!candidates.length) return null
  return candidates.sort((a, b) => Date.parse(a) - Date.parse(b))[0]
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

// --- forms -------------------------------------------------------------------------------------------------------

export const MOBILE_RE = /^1\d{10}$/
/** What the backend accepts for a staff-entered caller phone. */
export const ANY_PHONE_RE = /^\+?[0-9-]{5,20}$/

export interface ReportInput {
  category: string | null
  description: string
  phone: string
  lat: number | null
  lon: number | null
}

/** i18n keys of what is wrong with a resident's report, in form order; empty when it can be sent. */
export function validateReport(input: ReportInput): string[] {
  const errors: string[] = []
  if (!input.category) errors.push('report.categoryRequired')
  if (!input.description.trim()) errors.push('report.descriptionRequired')
  if (input.lat === null || input.lon === null) errors.push('report.placeRequired')
  if (!MOBILE_RE.test(input.phone.trim())) errors.push('report.phoneInvalid')
  return errors
}

export interface StaffReportInput {
  category: string | null
  description: string
  phone: string
  handledOnSpot: boolean
  result: string
}

export function validateStaffReport(input: StaffReportInput): string[] {
  const errors: string[] = []
  if (!input.category) errors.push('report.categoryRequired')
  if (!input.description.trim()) errors.push('report.descriptionRequired')
  if (input.phone.trim() && !ANY_PHONE_RE.test(input.phone.trim())) errors.push('matters.phoneInvalidStaff')
  if (input.handledOnSpot && !input.result.trim()) errors.push('matters.resultRequired')
  return errors
}

/** The server's "not inside any grid" answer to a point, as an i18n key (else null). */
export function placeErrorKey(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null
  // Inside a grid, but another's: the code's own message says so (errors.codes.outside-your-grids).
  if (error.code === 'outside-your-grids') return null
  if (error.code === 'outside-grid') return 'report.outsideGrid'
  const onPoint = error.fieldErrors.some(
    (e) => (e.loc ?? []).some((part) => part === 'lat' || part === 'lon') && /grid/i.test(e.msg),
  )
  return onPoint ? 'report.outsideGrid' : null
}

// --- idempotency -------------------------------------------------------------------------------------------------

/** A random UUID v4; crypto.randomUUID is missing on plain-http origins other than localhost. */
export function newUuid(): string {
  const c = globalThis.crypto
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256)
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * One Idempotency-Key per filled-in form: every retry of the same form (after a network error, a double tap)
 * sends the same key, so the server creates the matter once. A new key only after a success, for the next form.
 */
export class FormKey {
  private value = newUuid()
  get current(): string {
    return this.value
  }
  renew(): string {
    this.value = newUuid()
    return this.value
  }
}

/** Who took a step, as the timeline shows it: the resident and the platform itself (the worker's notices, periods
 * that end) in the app's words, staff by their account. */
export function actorText(actor: string, t: (key: string) => string): string {
  if (actor === 'resident') return t('matters.actorResident')
  if (actor === 'system') return t('matters.actorSystem')
  return actor
}
