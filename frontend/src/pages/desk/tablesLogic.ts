// Pure logic of the desk's tables of patrols, home visits and the hazard ledger: the filters as the query of their
// endpoints (only what is set, a search trimmed to what the API accepts) and how a row's numbers read.

export interface PageAsk {
  limit?: number
  after?: string | null
}

export interface PatrolFilters {
  /** '' any, else a grid id. */
  grid: string
  /** '' anyone, else the leader's user id (set by clicking a leader's name). */
  user: string
  from: string
  to: string
  /** '' any, ongoing, ended. */
  state: string
  /** '' any, 'true' with flagged points, 'false' without. */
  flagged: string
  sort: 'started' | '-started'
}

export function emptyPatrolFilters(): PatrolFilters {
  return { grid: '', user: '', from: '', to: '', state: '', flagged: '', sort: '-started' }
}

function paged(p: URLSearchParams, page: PageAsk): string {
  if (page.limit) p.append('limit', String(page.limit))
  if (page.after) p.append('after', page.after)
  return p.toString()
}

/** The filters as the query of /patrols/table (without a leading "?"). */
export function patrolQuery(f: PatrolFilters, page: PageAsk = {}): string {
  const p = new URLSearchParams()
  if (f.grid) p.append('grid_id', f.grid)
  if (f.user) p.append('user_id', f.user)
  if (f.from) p.append('started_from', f.from)
  if (f.to) p.append('started_to', f.to)
  if (f.state) p.append('state', f.state)
  if (f.flagged) p.append('flagged', f.flagged)
  if (f.sort !== '-started') p.append('sort', f.sort)
  return paged(p, page)
}

export interface VisitFilters {
  grid: string
  group: string
  /** '' anyone, else a visitor's user id (set by clicking a visitor's name). */
  visitor: string
  from: string
  to: string
  /** Words of the resident's name. */
  q: string
  sort: 'visited' | '-visited'
}

export function emptyVisitFilters(): VisitFilters {
  return { grid: '', group: '', visitor: '', from: '', to: '', q: '', sort: '-visited' }
}

/** The filters as the query of /visits/table. */
export function visitQuery(f: VisitFilters, page: PageAsk = {}): string {
  const p = new URLSearchParams()
  if (f.grid) p.append('grid_id', f.grid)
  if (f.group) p.append('group_id', f.group)
  if (f.visitor) p.append('visitor_id', f.visitor)
  if (f.from) p.append('visited_from', f.from)
  if (f.to) p.append('visited_to', f.to)
  const q = f.q.trim().slice(0, 50)
  if (q) p.append('q', q)
  if (f.sort !== '-visited') p.append('sort', f.sort)
  return paged(p, page)
}

export interface HazardFilters {
  status: string
  grid: string
  risk: string
  /** '' any, 'true' overdue only, 'false' the others. */
  overdue: string
}

export function emptyHazardFilters(): HazardFilters {
  return { status: '', grid: '', risk: '', overdue: '' }
}

/** The filters as the query object of GET /hazards (only those set). */
export function hazardQuery(f: HazardFilters, page: PageAsk = {}): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.status) q.status = f.status
  if (f.grid) q.grid_id = f.grid
  if (f.risk) q.risk_level = f.risk
  if (f.overdue) q.overdue = f.overdue
  if (page.limit) q.limit = String(page.limit)
  if (page.after) q.after = page.after
  return q
}

/** A duration as hours and minutes ("1:05"), empty while the patrol goes on. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || seconds < 0) return ''
  const minutes = Math.round(seconds / 60)
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`
}

/** A distance in kilometres with one decimal below 100 km ("1.2 km"), metres below one ("850 m"). */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)} m`
  const km = metres / 1000
  return `${km < 100 ? km.toFixed(1) : Math.round(km)} km`
}

/** The flip of a sort by time: newest first ⇄ oldest first. */
export function flipSort<S extends string>(sort: S): S {
  return (sort.startsWith('-') ? sort.slice(1) : `-${sort}`) as S
}
