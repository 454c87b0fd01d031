// The pure rules of the 12345 hotline page: the file's media type, the columns a CSV of orders has, the range of an
// export (as the server allows it), the words of a refused row.
import type { HotlineImportRow } from '@/api/loop'

/** The CSV's header line, as the server reads it: the first three are required, a place is one of lat+lon,
 * grid_code or community_code. */
export const IMPORT_COLUMNS = [
  'order_no',
  'category',
  'description',
  'lat',
  'lon',
  'address',
  'grid_code',
  'community_code',
  'caller_name',
  'caller_phone',
] as const
export const REQUIRED_COLUMNS = ['order_no', 'category', 'description'] as const

/** The reasons the server gives a refused row (HotlineImportRow.code); any other is shown as the server says it. */
export const REASON_CODES = [
  'order-no',
  'order-imported',
  'order-twice',
  'unknown-category',
  'description',
  'caller-phone',
  'lat-lon',
  'outside-grids',
  'unknown-grid',
  'unknown-community',
  'no-place',
  'outside-scope',
  'not-an-object',
  'invalid-row',
] as const

/** At most 5 MB: the server's bound on any body. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024

/** The media type a file of orders is sent as: JSON by its name or its type, else CSV; null for anything else
 * (a spreadsheet, a picture). */
export function importType(name: string, type: string): 'application/json' | 'text/csv' | null {
  const lower = name.toLowerCase()
  if (lower.endsWith('.json') || type.includes('json')) return 'application/json'
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || type.includes('csv') || type === 'text/plain') return 'text/csv'
  return null
}

/** The i18n key of a refused row's reason, or null when the app has no words for its code. */
export function reasonKey(row: Pick<HotlineImportRow, 'code'>): string | null {
  const code = row.code ?? ''
  return (REASON_CODES as readonly string[]).includes(code) ? `hotline.reasons.${code}` : null
}

export type RangeProblem = 'missing' | 'order' | 'tooLong'

/** What is wrong with an export's range, as the server would refuse it (at most 366 days), or null. */
export function rangeProblem(since: string, until: string): RangeProblem | null {
  if (!since || !until) return 'missing'
  const a = Date.parse(`${since}T00:00:00Z`)
  const b = Date.parse(`${until}T00:00:00Z`)
  if (Number.isNaN(a) || Number.isNaN(b)) return 'missing'
  if (b < a) return 'order'
  if ((b - a) / 86_400_000 > 366) return 'tooLong'
  return null
}

const BEIJING_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The range the page opens with: the last seven days in Beijing (the server's days), today included. */
export function lastWeek(now: Date = new Date()): { since: string; until: string } {
  const until = BEIJING_DAY.format(now)
  const start = new Date(`${until}T00:00:00Z`)
  start.setUTCDate(start.getUTCDate() - 6)
  return { since: start.toISOString().slice(0, 10), until }
}

/** The name a downloaded export is saved under (the server's own). */
export function resultsFileName(since: string, until: string): string {
  return `hotline-results-${since}-${until}.csv`
}
