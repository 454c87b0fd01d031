// Endpoints of the assessment 考核 (issue 12): a unit's figures, the ranked table of a parent's units, the dashboard
// and a grid leader's month. Types follow the shared contract (backend/wangge/assessment/schemas.py).
import { api, requestBlob } from './client'

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

export interface PeriodOut {
  kind: PeriodKind
  start: string
  end: string
  label: string
}
export interface UnitRef {
  level: Level
  id: number
  name: string
}
export interface SchemeRef {
  id: number
  version: number
  street_id: number | null
}
export interface Comparison {
  period: PeriodOut
  figures: Figures
  score: number | null
}
export interface UnitFigures {
  unit: UnitRef
  period: PeriodOut
  frozen: boolean
  scheme: SchemeRef | null
  figures: Figures
  score: number | null
  grade: Grade | null
  previous: Comparison
  last_year: Comparison
}
export interface TableRow {
  unit: UnitRef
  figures: Figures
  score: number | null
  grade: Grade | null
  rank: number | null
}
export interface TableOut {
  period: PeriodOut
  scheme: SchemeRef | null
  rows: TableRow[]
}
export interface Dashboard {
  figures: UnitFigures
  trend: { period: PeriodOut; figures: Figures }[]
  by_category: { code: string; name: string; received: number; resolved: number; overdue: number }[]
  by_source: { source: string; received: number }[]
  most_overdue: { id: number; tracking_code: string; category: string; holder_level: string; due_at: string; overdue_hours: number }[]
  map: { lat: number; lon: number; count: number }[]
  children: TableRow[]
}
export interface MyMonth {
  period: PeriodOut
  leader: Figures
  grids: UnitFigures[]
  rank: { rank: number | null; of: number }
}

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
