// A category's time limits as the form edits them — a grid of levels × (签收, 办结), each cell an amount typed as
// text and a unit — and back to the API's dict ({level: {kind: {amount, unit}}}), which a PATCH replaces whole.
// An empty amount is no limit at that level.

export const LEVELS = ['grid', 'station', 'street', 'department', 'notice'] as const
export const KINDS = ['sign', 'complete'] as const
export const UNITS = ['minutes', 'working_minutes', 'working_hours', 'working_days'] as const

export type Level = (typeof LEVELS)[number]
export type Kind = (typeof KINDS)[number]
export type Unit = (typeof UNITS)[number]
/** The public notice has a length (its 办结) and nothing to sign for. */
export const KINDS_OF: Record<Level, readonly Kind[]> = {
  grid: KINDS,
  station: KINDS,
  street: KINDS,
  department: KINDS,
  notice: ['complete'],
}
export interface TimeLimit {
  amount: number
  unit: Unit
}
export type TimeLimits = Partial<Record<Level, Partial<Record<Kind, TimeLimit>>>>

export interface LimitCell {
  amount: string
  unit: Unit
}
export type LimitGrid = Record<Level, Record<Kind, LimitCell>>

/** The most of each unit the server takes: a year (workcalendar._MAX_AMOUNT), said here in the form's words. */
export const MAX_AMOUNT: Record<Unit, number> = {
  minutes: 366 * 24 * 60,
  working_minutes: 250 * 8 * 60,
  working_hours: 250 * 8,
  working_days: 250,
}

// A new cell's unit: the public notice and completion are counted in days, signing in hours.
const DEFAULT_UNIT: Record<Kind, Unit> = { sign: 'working_hours', complete: 'working_days' }

function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value)
}

/** The form's grid for the limits a category has (every cell present; a missing limit is an empty amount). */
export function toGrid(limits: Record<string, unknown> | null | undefined): LimitGrid {
  const grid = {} as LimitGrid
  for (const level of LEVELS) {
    grid[level] = {} as Record<Kind, LimitCell>
    const kinds = (limits?.[level] ?? {}) as Record<string, { amount?: unknown; unit?: unknown } | undefined>
    for (const kind of KINDS) {
      const limit = kinds[kind]
      grid[level][kind] =
        limit && typeof limit.amount === 'number' && isUnit(limit.unit)
          ? { amount: String(limit.amount), unit: limit.unit }
          : { amount: '', unit: DEFAULT_UNIT[kind] }
    }
  }
  return grid
}

export type CellProblem = 'whole' | 'tooLarge' | 'required'
export interface GridProblem {
  level: Level
  kind: Kind
  problem: CellProblem
  max?: number
}

/** The API's dict for the grid, or the first cell that is not a whole number from 0 to a year's worth. An
 * emergency category must keep the station's two limits: an emergency starts its clock from them. */
export function fromGrid(grid: LimitGrid, { emergency = false } = {}): { limits: TimeLimits } | { problem: GridProblem } {
  const limits: TimeLimits = {}
  for (const level of LEVELS) {
    for (const kind of KINDS_OF[level]) {
      const { amount, unit } = grid[level][kind]
      const text = amount.trim()
      if (text === '') {
        if (emergency && level === 'station') return { problem: { level, kind, problem: 'required' } }
        continue
      }
      if (!/^\d+$/.test(text)) return { problem: { level, kind, problem: 'whole' } }
      const value = Number(text)
      if (value > MAX_AMOUNT[unit]) return { problem: { level, kind, problem: 'tooLarge', max: MAX_AMOUNT[unit] } }
      ;(limits[level] ??= {})[kind] = { amount: value, unit }
    }
  }
  return { limits }
}

/** One level's limits in a line of the table: "2 工作小时 / 1 工作日", a dash where there is none. */
export function levelSummary(
  limits: Record<string, unknown> | null | undefined,
  level: Level,
  unitWord: (unit: Unit, amount: number) => string,
): string | null {
  const kinds = (limits?.[level] ?? null) as Record<string, { amount: number; unit: unknown } | undefined> | null
  if (!kinds || !KINDS.some((k) => kinds[k])) return null
  return KINDS_OF[level].map((k) => {
    const limit = kinds[k]
    return limit && isUnit(limit.unit) ? unitWord(limit.unit, limit.amount) : '—'
  }).join(' / ')
}

// --- the steps around the routes (schemas.LoopRules) ---------------------------------------------------------------
// 先行联系 within a limit (or none), how many and how long 延期 and 缓办 may be, whether a resolution is verified 核查
// and whether that closes it, when the station calls back 回访 and how many tries, whether it is mediated 调解. The
// form edits numbers as text; a PATCH sends the rules whole (the API replaces them).

export type CloseOn = 'rating' | 'verification'
export interface ApplicationLimit {
  max_count: number
  max_days: number
}
// A type (not an interface) so that it goes where the API's open dict goes.
export type LoopRules = {
  contact: TimeLimit | null
  extension: ApplicationLimit
  suspension: ApplicationLimit
  verify: boolean
  close_on: CloseOn
  callback_after_days: number
  callback_tries: number
  mediation: boolean
}

/** What a category saved before the rules existed has (matters.loop.DEFAULT_RULES). */
export const DEFAULT_LOOP_RULES: LoopRules = {
  contact: null,
  extension: { max_count: 2, max_days: 10 },
  suspension: { max_count: 1, max_days: 30 },
  verify: false,
  close_on: 'rating',
  callback_after_days: 3,
  callback_tries: 3,
  mediation: false,
}

/** The number fields of the form, by the API's path, with the bounds the server takes (schemas.py). */
export const LOOP_NUMBERS = {
  'contact.amount': { min: 1, max: 2000 },
  'extension.max_count': { min: 0, max: 10 },
  'extension.max_days': { min: 1, max: 365 },
  'suspension.max_count': { min: 0, max: 10 },
  'suspension.max_days': { min: 1, max: 365 },
  callback_after_days: { min: 1, max: 60 },
  callback_tries: { min: 1, max: 10 },
} as const
export type LoopNumber = keyof typeof LOOP_NUMBERS
/** A field of the form a problem is said under (the switches' problems go under close_on). */
export type LoopField = LoopNumber | 'contact.unit' | 'close_on'

export interface LoopForm {
  numbers: Record<LoopNumber, string>
  contactUnit: Unit
  verify: boolean
  closeOn: CloseOn
  mediation: boolean
}

function whole(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback
}

/** The form for the rules a category has, each missing rule at its default (an empty contact amount: no limit). */
export function toLoopForm(rules: Record<string, unknown> | null | undefined): LoopForm {
  const r = { ...DEFAULT_LOOP_RULES, ...(rules ?? {}) } as Record<string, unknown>
  const app = (kind: 'extension' | 'suspension') => (r[kind] ?? {}) as Record<string, unknown>
  const limit = (key: 'max_count' | 'max_days', kind: 'extension' | 'suspension') =>
    String(whole(app(kind)[key], DEFAULT_LOOP_RULES[kind][key]))
  const contact = r.contact as { amount?: unknown; unit?: unknown } | null
  const hasContact = !!contact && typeof contact.amount === 'number' && isUnit(contact.unit)
  return {
    numbers: {
      'contact.amount': hasContact ? String(contact.amount) : '',
      'extension.max_count': limit('max_count', 'extension'),
      'extension.max_days': limit('max_days', 'extension'),
      'suspension.max_count': limit('max_count', 'suspension'),
      'suspension.max_days': limit('max_days', 'suspension'),
      callback_after_days: String(whole(r.callback_after_days, DEFAULT_LOOP_RULES.callback_after_days)),
      callback_tries: String(whole(r.callback_tries, DEFAULT_LOOP_RULES.callback_tries)),
    },
    contactUnit: hasContact ? (contact.unit as Unit) : 'working_hours',
    verify: r.verify === true,
    closeOn: r.verify === true && r.close_on === 'verification' ? 'verification' : 'rating',
    mediation: r.mediation === true,
  }
}

export interface LoopProblem {
  field: LoopField
  problem: 'whole' | 'range'
  min?: number
  max?: number
}

/** The API's rules for the form, or its first field out of the server's bounds. Closing on verification is only
 * sent for a category that verifies (the switch hides the choice otherwise). */
export function fromLoopForm(form: LoopForm): { rules: LoopRules } | { problem: LoopProblem } {
  const values = {} as Record<LoopNumber, number>
  for (const field of Object.keys(LOOP_NUMBERS) as LoopNumber[]) {
    const text = form.numbers[field].trim()
    if (field === 'contact.amount' && text === '') continue
    if (!/^\d+$/.test(text)) return { problem: { field, problem: 'whole' } }
    const value = Number(text)
    const { min, max } = LOOP_NUMBERS[field]
    if (value < min || value > max) return { problem: { field, problem: 'range', min, max } }
    values[field] = value
  }
  const contactAmount = values['contact.amount']
  if (contactAmount !== undefined && contactAmount > MAX_AMOUNT[form.contactUnit]) {
    return { problem: { field: 'contact.amount', problem: 'range', min: 1, max: MAX_AMOUNT[form.contactUnit] } }
  }
  return {
    rules: {
      contact: contactAmount === undefined ? null : { amount: contactAmount, unit: form.contactUnit },
      extension: { max_count: values['extension.max_count'], max_days: values['extension.max_days'] },
      suspension: { max_count: values['suspension.max_count'], max_days: values['suspension.max_days'] },
      verify: form.verify,
      close_on: form.verify ? form.closeOn : 'rating',
      callback_after_days: values.callback_after_days,
      callback_tries: values.callback_tries,
      mediation: form.mediation,
    },
  }
}

/** The form's field a 422 names (loc ["body", "loop_rules", ...]), or null for one the form does not show. */
export function loopFieldOf(loc: readonly (string | number)[] | undefined): LoopField | null {
  const path = (loc ?? []).map(String)
  const at = path.indexOf('loop_rules')
  if (at < 0) return null
  const rest = path.slice(at + 1)
  const key = rest.join('.')
  if (key in LOOP_NUMBERS) return key as LoopNumber
  if (rest[0] === 'contact') return rest[1] === 'unit' ? 'contact.unit' : 'contact.amount'
  if (rest[0] === 'extension' || rest[0] === 'suspension') return `${rest[0]}.max_days`
  // The rule that only a verifying category closes on verification is the model's own: it names no field.
  return 'close_on'
}

/** The rules in a line of the table, as short words: 先行联系 2 工作小时 · 需核查 · 调解. */
export function loopSummary(
  rules: Record<string, unknown> | null | undefined,
  words: { contact: (limit: TimeLimit) => string; verify: string; closes: string; mediation: string },
): string[] {
  const form = fromLoopForm(toLoopForm(rules))
  if ('problem' in form) return []
  const r = form.rules
  const said: string[] = []
  if (r.contact) said.push(words.contact(r.contact))
  if (r.verify) said.push(r.close_on === 'verification' ? words.closes : words.verify)
  if (r.mediation) said.push(words.mediation)
  return said
}
