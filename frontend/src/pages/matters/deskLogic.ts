// The desk's table of matters, as pure functions: the query sent for a set of filters (the API's repeated parameters),
// the sort a header click gives, and the columns someone chose to see (kept in localStorage).

export type SortKey = 'created' | 'due' | 'status'
export type Sort = SortKey | `-${SortKey}`
export type Box = 'mine' | 'grid' | 'unit' | 'all' | 'cooperating'

/** The statuses of an open matter, and of a finished one (flow.OPEN, flow's others: 待核查 is among them). */
export const OPEN_STATUSES = [
  'submitted',
  'accepted',
  'at_station',
  'escalated',
  'handling',
  'emergency',
  'approval_review',
  'approval_decision',
  'public_notice',
] as const
export const FINISHED_STATUSES = ['verifying', 'resolved', 'closed', 'merged'] as const
export const SOURCES = ['resident', 'field', 'front_desk', 'hotline', 'open311'] as const

export interface DeskFilters {
  /** '' any; 'open' or 'finished' a group; else one status. */
  status: string
  category: number | null
  community: number | null
  grid: number | null
  source: string
  overdue: boolean
  /** YYYY-MM-DD, Beijing days; '' none. */
  from: string
  to: string
  q: string
}

export function emptyFilters(): DeskFilters {
  return { status: '', category: null, community: null, grid: null, source: '', overdue: false, from: '', to: '', q: '' }
}

export const DEFAULT_SORT: Sort = '-created'

/** The filters as the query of /matters/table and /matters/export.xlsx (without a leading "?"). */
export function tableQuery(box: Box, f: DeskFilters, sort: Sort, page: { limit?: number; after?: string | null } = {}): string {
  const p = new URLSearchParams()
  if (box !== 'all') p.append('box', box)
  const statuses = f.status === 'open' ? OPEN_STATUSES : f.status === 'finished' ? FINISHED_STATUSES : f.status ? [f.status] : []
  for (const s of statuses) p.append('status', s)
  if (f.category !== null) p.append('category_id', String(f.category))
  if (f.community !== null) p.append('community_id', String(f.community))
  if (f.grid !== null) p.append('grid_id', String(f.grid))
  if (f.source) p.append('source', f.source)
  if (f.overdue) p.append('overdue', 'true')
  if (f.from) p.append('created_from', f.from)
  if (f.to) p.append('created_to', f.to)
  const q = f.q.trim()
  if (q) p.append('q', q.slice(0, 100))
  if (sort !== DEFAULT_SORT) p.append('sort', sort)
  if (page.limit) p.append('limit', String(page.limit))
  if (page.after) p.append('after', page.after)
  return p.toString()
}

/** A click on a column's header: the same column turns around; another starts in its natural direction (newest
 * reports first, nearest deadline first, the flow's order). */
export function nextSort(current: Sort, key: SortKey): Sort {
  const name = current.replace(/^-/, '') as SortKey
  if (name === key) return (current.startsWith('-') ? key : `-${key}`) as Sort
  return key === 'created' ? '-created' : key
}

/** Which way a column is sorted now: 'asc', 'desc' or null. */
export function sortOf(current: Sort, key: SortKey): 'asc' | 'desc' | null {
  if (current.replace(/^-/, '') !== key) return null
  return current.startsWith('-') ? 'desc' : 'asc'
}

export const COLUMNS = [
  'tracking_code',
  'category',
  'description',
  'status',
  'source',
  'community',
  'grid',
  'holder',
  'owner',
  'reporter_phone',
  'address',
  'created',
  'due',
] as const
export type Column = (typeof COLUMNS)[number]
/** The columns a sort belongs to. */
export const SORTABLE: Partial<Record<Column, SortKey>> = { created: 'created', due: 'due', status: 'status' }
export const DEFAULT_HIDDEN: readonly Column[] = ['community', 'owner', 'reporter_phone', 'address']
export const COLUMNS_KEY = 'wangge.desk.matters.hidden'

type Store = Pick<Storage, 'getItem' | 'setItem'>

/** The columns hidden by this browser's choice, or the defaults; unknown names (an older version's) dropped. */
export function loadHidden(storage: Store | null): Column[] {
  try {
    const raw = storage?.getItem(COLUMNS_KEY)
    if (raw == null) return [...DEFAULT_HIDDEN]
    const parsed: unknown = JSON.parse(raw)
    if (!Array.isArray(parsed)) return [...DEFAULT_HIDDEN]
    return COLUMNS.filter((c) => c !== 'tracking_code' && parsed.includes(c))
  } catch {
    return [...DEFAULT_HIDDEN]
  }
}

export function saveHidden(storage: Store | null, hidden: readonly Column[]): void {
  try {
    storage?.setItem(COLUMNS_KEY, JSON.stringify(COLUMNS.filter((c) => hidden.includes(c))))
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}

/** Shows or hides a column; the tracking code always stays (it is how a row is named and opened). */
export function toggleColumn(hidden: readonly Column[], column: Column): Column[] {
  if (column === 'tracking_code') return [...hidden]
  return hidden.includes(column) ? hidden.filter((c) => c !== column) : COLUMNS.filter((c) => c === column || hidden.includes(c))
}

export function visibleColumns(hidden: readonly Column[]): Column[] {
  return COLUMNS.filter((c) => !hidden.includes(c))
}

/** "共 12 件" when the count is exact, "1000+ 件" past the server's cap. */
export function totalKey(exact: boolean): 'desk.total' | 'desk.totalMore' {
  return exact ? 'desk.total' : 'desk.totalMore'
}

export interface IncidentFilters {
  /** '' any, 'open' or 'closed'. */
  status: string
  type: string
  /** '' any, else 1..4. */
  severity: string
  from: string
  to: string
  q: string
}

export function emptyIncidentFilters(): IncidentFilters {
  return { status: '', type: '', severity: '', from: '', to: '', q: '' }
}

/** The filters as the query of /incidents/table (without a leading "?"). */
export function incidentQuery(f: IncidentFilters, page: { limit?: number; after?: string | null } = {}): string {
  const p = new URLSearchParams()
  if (f.status) p.append('status', f.status)
  if (f.type) p.append('incident_type', f.type)
  if (f.severity) p.append('severity', f.severity)
  if (f.from) p.append('known_from', f.from)
  if (f.to) p.append('known_to', f.to)
  const q = f.q.trim()
  if (q) p.append('q', q.slice(0, 100))
  if (page.limit) p.append('limit', String(page.limit))
  if (page.after) p.append('after', page.after)
  return p.toString()
}

export interface HandoffFilters {
  direction: 'in' | 'out'
  /** '' any, or pending, signed, returned. */
  state: string
  from: string
  to: string
  /** A tracking code or its start. */
  code: string
}

export function emptyHandoffFilters(): HandoffFilters {
  return { direction: 'in', state: '', from: '', to: '', code: '' }
}

/** The filters as the query of /handoffs/table; a code keeps only what a code can hold (letters and digits). */
export function handoffQuery(f: HandoffFilters, page: { limit?: number; after?: string | null } = {}): string {
  const p = new URLSearchParams()
  if (f.direction !== 'in') p.append('direction', f.direction)
  if (f.state) p.append('state', f.state)
  if (f.from) p.append('created_from', f.from)
  if (f.to) p.append('created_to', f.to)
  const code = f.code.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)
  if (code) p.append('q', code)
  if (page.limit) p.append('limit', String(page.limit))
  if (page.after) p.append('after', page.after)
  return p.toString()
}

/** A work order's state, from its dates. */
export function handoffState(h: { signed_at?: string | null; returned_at?: string | null }): 'pending' | 'signed' | 'returned' {
  return h.returned_at ? 'returned' : h.signed_at ? 'signed' : 'pending'
}
