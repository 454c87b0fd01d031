// Endpoints of field work: patrols (sent through the offline outbox), my day, leave and cover, who is on duty.
// Types are hand-written from the API description of issue 4; keep them in step with backend/wangge/fieldwork.
import { api, request } from './client'
import type { Matter, MatterStatus, Schemas, StaffMatterCreate } from './types'
import { byNaturalName } from './naturalOrder'

// The one order of buildings (1栋 … 10栋), for every list of them: the admin's registers import it from here too, so
// that it rides in this chunk instead of one of its own.
export { byNaturalName }

export type Remark = Schemas['Remark']

export interface Patrol {
  id: number
  client_id: string
  grid_id: number | null
  user_id: number
  started_at: string
  ended_at: string | null
  distance_m: number
  point_count: number
  flagged_count: number
}

export interface PatrolStartBody {
  client_id: string
  started_at: string
  grid_id?: number
}

export interface TrackPoint {
  client_id: string
  recorded_at: string
  lat: number
  lon: number
  accuracy_m: number | null
}

export interface PointBatch {
  batch_id: string
  points: TrackPoint[]
}

export interface BatchResult {
  batch_id: string
  received: number
  new_points: number
  duplicates: number
  flagged: string[]
  patrol: Patrol
}

export interface CheckinBody {
  client_id: string
  building_id: number
  at: string
  note?: string
}

export interface FindingBody {
  client_id: string
  at: string
  category: string
  description: string
  lat?: number
  lon?: number
  photo_ids: number[]
  handled_on_spot: boolean
  result?: string
}

export interface FindingResult {
  id: number
  client_id: string
  matter: { id: number; tracking_code: string; status: MatterStatus } | null
}

export interface Building {
  id: number
  name: string
  code?: string | null
  address?: string | null
}

export type Disposition = 'handled' | 'brought_back' | 'escalated' | 'carried_over' | 'emergency' | 'approval'

export interface DayItem {
  kind: string
  id: number
  title: string
  status: string | null
  disposition: Disposition | string | null
  derived: boolean
  needs_disposition: boolean
}

export interface MyDay {
  day: string
  grid: { id: number; name: string } | null
  patrols: Patrol[]
  items: DayItem[]
  signed_at: string | null
  can_sign: boolean
  blocking: { kind: string; id: number; title: string }[]
  /** 督查意见 left by the station chief or the street on this day. */
  remarks?: Remark[]
  /** Remarks not read yet on other days or on weeks, newest first. */
  unread_elsewhere?: Remark[]
}

/** One row of the week view; the server's fields are shown as they come (see WeekTable). */
export type WeekDay = Record<string, unknown> & { day: string }

export interface Week {
  start?: string
  end?: string
  days: WeekDay[]
  remarks?: Remark[]
  [extra: string]: unknown
}

export type LeaveStatus = 'requested' | 'approved' | 'refused' | 'cancelled'

export interface Leave {
  id: number
  user_id?: number
  user?: { id: number; name: string } | null
  grid_id?: number
  grid?: { id: number; name: string } | null
  start_at: string
  end_at: string
  reason: string
  status: LeaveStatus
  both_away?: boolean
  decision_note?: string | null
  decided_at?: string | null
  created_at?: string
}

/**
 * GET /fieldwork/cover. The brief named `covering[].grid_name/leader/until` and `covered_by.{id,name,until}`; the
 * server sends each entry as "who is on duty" (`grid{id,code,name}`, `user`, `leader`, no end time). Both are read.
 */
export interface CoverEntry {
  grid_id: number
  grid_name?: string
  grid?: { id: number; code: string; name: string } | null
  leader?: { id: number; name: string } | null
  user?: { id: number; name: string } | null
  until?: string | null
}

export interface Cover {
  covering: CoverEntry[]
  covered_by: (CoverEntry & { id?: number; name?: string }) | null
}

export interface OnDuty {
  grid_id: number
  grid_code?: string
  grid?: { id: number; code: string; name: string } | null
  user: { id: number; name: string } | null
  covering: boolean
  /** null when the person has no shift pattern. */
  on_shift: boolean | null
}

// --- patrols (called by the outbox, never straight from a page) ---

export function startPatrol(body: PatrolStartBody) {
  return api.post<Patrol>('/patrols', { json: body, headers: { 'Idempotency-Key': body.client_id } })
}

export function sendPoints(patrolId: number, batch: PointBatch) {
  return api.post<BatchResult>(`/patrols/${patrolId}/points`, { json: batch, headers: { 'Idempotency-Key': batch.batch_id } })
}

export function stopPatrol(patrolId: number, endedAt: string, key: string) {
  return api.post<Patrol>(`/patrols/${patrolId}/stop`, { json: { ended_at: endedAt }, headers: { 'Idempotency-Key': key } })
}

export function checkIn(patrolId: number, body: CheckinBody) {
  return api.post<unknown>(`/patrols/${patrolId}/checkins`, { json: body, headers: { 'Idempotency-Key': body.client_id } })
}

export function addFinding(patrolId: number, body: FindingBody) {
  return api.post<FindingResult>(`/patrols/${patrolId}/findings`, { json: body, headers: { 'Idempotency-Key': body.client_id } })
}

export function createFieldMatter(body: StaffMatterCreate, key: string) {
  return api.post<Matter>('/matters', { json: body, headers: { 'Idempotency-Key': key } })
}

export async function fetchBuildings(gridId: number): Promise<Building[]> {
  const page = await api.get<{ items: Building[] } | Building[]>(`/grids/${gridId}/buildings`, { query: { limit: 200 } })
  return byNaturalName(Array.isArray(page) ? page : (page?.items ?? []))
}

// --- my day ---

export function fetchMyDay(day?: string) {
  return api.get<MyDay>('/fieldwork/my-day', { query: { day } })
}

export function setDisposition(day: string, kind: string, id: number, body: { disposition: string; note?: string }) {
  return request<unknown>(`/fieldwork/my-day/${day}/dispositions/${encodeURIComponent(kind)}/${id}`, { method: 'PUT', json: body })
}

export function signDay(day: string) {
  return api.post<MyDay>(`/fieldwork/my-day/${day}/sign`, { json: {} })
}

export function fetchWeek(start?: string) {
  return api.get<Week>('/fieldwork/week', { query: { start } })
}

// --- leave and cover ---

export async function fetchLeaves(): Promise<Leave[]> {
  const page = await api.get<{ items: Leave[] } | Leave[]>('/leaves')
  return Array.isArray(page) ? page : (page?.items ?? [])
}

export function requestLeave(body: { start_at: string; end_at: string; reason: string }) {
  return api.post<Leave>('/leaves', { json: body })
}

export function approveLeave(id: number, body: { note?: string; accept_both_away?: boolean }) {
  return api.post<Leave>(`/leaves/${id}/approve`, { json: body })
}

export function refuseLeave(id: number, note: string) {
  return api.post<Leave>(`/leaves/${id}/refuse`, { json: { note } })
}

export function fetchCover() {
  return api.get<Cover>('/fieldwork/cover')
}

export function fetchOnDutyNow() {
  return api.get<OnDuty[]>('/fieldwork/on-duty-now')
}

// --- patrol coverage (station chief and above) ---

/** One grid of GET /grids (the fields the coverage screen uses). */
export interface GridSummary {
  id: number
  code: string
  name: string
  community_id: number
  is_active: boolean
}

/** GET /fieldwork/unpatrolled: the grids in scope with no patrol started that Beijing day. */
export interface Unpatrolled {
  day: string
  grids: { id: number; code: string; name: string }[]
}

/** GET /grids/{id}/coverage (GridCoverageOut): one Beijing day, or the week from its Monday. */
export interface GridCoverage {
  grid_id: number
  from: string
  to: string
  patrolled: boolean
  patrol_count: number
  distance_m: number
  /** 0…1: the share of the grid within the coverage buffer of a track. */
  covered_share: number
  buildings_visited: number
  buildings_total: number
}

export function fetchUnpatrolled(day: string) {
  return api.get<Unpatrolled>('/fieldwork/unpatrolled', { query: { day } })
}

export async function fetchGridsInScope(): Promise<GridSummary[]> {
  const page = await api.get<{ items: GridSummary[] }>('/grids', { query: { limit: 1000 } })
  return (page?.items ?? []).filter((g) => g.is_active !== false)
}

export function fetchGridCoverage(gridId: number, period: { day: string } | { week: string }) {
  return api.get<GridCoverage>(`/grids/${gridId}/coverage`, { query: period })
}

// --- home visits 入户走访 ---

export interface SpecialGroup {
  id: number
  code: string
  name_zh: string
  name_en: string
  visit_every_days: number
  is_active: boolean
}

export interface SpecialResident {
  id: number
  grid_id: number
  group: SpecialGroup
  building_id: number | null
  name: string
  /** Masked (138****5678) unless the caller may read personal data; shown as given. */
  phone: string | null
  id_number: string | null
  address: string | null
  visit_every_days: number | null
  required_every_days: number
  note: string | null
  is_active: boolean
  last_visited_at: string | null
  created_at: string
}

/** GET /fieldwork/visits/overdue (OverdueOut): never visited first, then the longest overdue. */
export interface OverdueVisit {
  resident: SpecialResident
  grid: { id: number; code: string; name: string; leader?: { id: number; name: string } | null }
  never_visited: boolean
  days_since_visit: number | null
  days_overdue: number | null
}

export interface Visit {
  id: number
  resident_id: number
  visited_at: string
  visitors: { id: number; name: string }[]
  notes: string
  created_by: { id: number; name: string }
  created_at: string
}

export function fetchOverdueVisits() {
  return api.get<OverdueVisit[]>('/fieldwork/visits/overdue')
}

export function recordVisit(residentId: number, body: { visited_at: string; notes: string }) {
  return api.post<Visit>(`/special-residents/${residentId}/visits`, { json: body })
}
