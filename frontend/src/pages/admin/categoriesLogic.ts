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
