// Endpoints of the assessment 考核 (issue 12): a unit's figures, the ranked table of a parent's units, the dashboard
// and a grid leader's month. Types are the generated ones (backend/wangge/assessment/schemas.py) with the figures
// narrowed to their shapes (a count, a rate, a duration or a breakdown).
import { api, requestBlob } from './client'
import type { Narrow, Schemas } from './types'

export type Level = 'grid' | 'leader' | 'community' | 'street' | 'department' | 'district'
export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'range'
export type Grade = 'green' | 'yellow' | 'red'

export interface Rate {
  num: number
  den: number
  value: number | null
}
export interface Duration {
  n: number
  avg: number | null
  p90: number | null
}
export type Breakdown = Record<string, number>
export type Figure = number | Rate | Duration | Breakdown
export type Figures = Record<string, Figure>

export type PeriodOut = Narrow<Schemas['PeriodOut'], { kind: PeriodKind }>
export type UnitRef = Narrow<Schemas['UnitRef'], { level: Level }>
export type SchemeRef = Schemas['SchemeRef']
export type Comparison = Narrow<Schemas['Compare'], { period: PeriodOut; figures: Figures }>
export type UnitFigures = Narrow<
  Schemas['UnitFigures'],
  { unit: UnitRef; period: PeriodOut; figures: Figures; grade: Grade | null; previous: Comparison; last_year: Comparison }
>
export type TableRow = Narrow<Schemas['TableRow'], { unit: UnitRef; figures: Figures; grade: Grade | null }>
export type TableOut = Narrow<Schemas['Table'], { period: PeriodOut; rows: TableRow[] }>
export type Dashboard = Narrow<
  Schemas['Dashboard'],
  { figures: UnitFigures; trend: { period: PeriodOut; figures: Figures }[]; children: TableRow[] }
>
export type MyMonth = Narrow<Schemas['MyMonth'], { period: PeriodOut; leader: Figures; grids: UnitFigures[] }>

/** period=…&at=… or period=range&start=…&end=… */
export type PeriodQuery = { period: PeriodKind; at?: string; start?: string; end?: string }

export function fetchFigures(level: Level, id: number, period: PeriodQuery, signal?: AbortSignal) {
  return api.get<UnitFigures>('/assessment/figures', { query: { level, id, ...period }, signal })
}

export function fetchTable(level: Level, parentLevel: Level, parentId: number, period: PeriodQuery, signal?: AbortSignal) {
  return api.get<TableOut>('/assessment/table', { query: { level, parent_level: parentLevel, parent_id: parentId, ...period }, signal })
}

export function fetchDashboard(level: Level, id: number, period: PeriodQuery, signal?: AbortSignal) {
  return api.get<Dashboard>('/assessment/dashboard', { query: { level, id, ...period }, signal })
}

export function fetchMyMonth(period: PeriodQuery = { period: 'month' }, signal?: AbortSignal) {
  return api.get<MyMonth>('/assessment/me', { query: { ...period }, signal })
}

/** The XLSX of a table or a dashboard, same parameters as the JSON (built on branch asm-pub). */
export function downloadXlsx(which: 'table' | 'dashboard', query: Record<string, string | number>): Promise<Blob> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
  return requestBlob(`/assessment/${which}.xlsx?${params}`)
}
