// Endpoints of the station's day (issue 5): the daily triage meeting 研判会, supervision notes 督办, the hazard ledger
// 隐患台账 and its monthly cycle. Types are hand-written from backend/wangge/station/schemas.py; keep them in step.
import { api, requestBlob } from './client'

export type TriageDecision = 'station' | 'escalate' | 'close' | 'merge'

export interface Named {
  id: number
  name: string
}

export interface TriageItem {
  item_id: number
  matter: {
    id: number
    tracking_code: string
    description: string
    grid: Named | null
    status: string
  }
  decision: TriageDecision | null
  assignee: string | null
  assignee_user: Named | null
  note: string | null
  decided_at: string | null
}

export interface TriageGroup {
  category: { code: string; name: string }
  count: number
  items: TriageItem[]
}

export interface Attendee {
  user_id?: number | null
  name: string
  role?: string | null
}

export interface TriageMeeting {
  id: number
  day: string
  community: Named
  chair: Named
  opened_at: string
  closed_at: string | null
  since: string
  minutes: string
  attendees: Attendee[]
  groups: TriageGroup[]
}

export interface MeetingSummary {
  id: number
  day: string
  community: Named
  opened_at: string
  closed_at: string | null
  items: number
}

/** The answer of a batch decision: each item applied, or refused with the reason. */
export interface BatchAnswer {
  decision: TriageDecision
  applied: { item_id: number; matter_id: number; tracking_code: string; status: string }[]
  refused: { item_id: number; matter_id: number | null; tracking_code: string | null; status: number; code?: string | null; detail: string }[]
}

export interface DecisionBody {
  decision: TriageDecision
  assignee?: string
  assignee_user_id?: number
  target?: { level: 'street' | 'department'; department_id?: number }
  reason?: string
  note?: string
  into?: number
}

export function openMeeting(day?: string) {
  return api.post<TriageMeeting>('/triage/meetings', { json: day ? { day } : {} })
}

export function listMeetings(query: { community_id?: number; day?: string } = {}) {
  return api.get<{ items: MeetingSummary[] }>('/triage/meetings', { query })
}

export function fetchMeeting(id: number | string) {
  return api.get<TriageMeeting>(`/triage/meetings/${id}`)
}

export function decideItem(meetingId: number, itemId: number, body: DecisionBody) {
  return api.post<TriageMeeting>(`/triage/meetings/${meetingId}/items/${itemId}/decide`, { json: body })
}

export function decideBatch(meetingId: number, itemIds: number[], body: DecisionBody) {
  return api.post<BatchAnswer>(`/triage/meetings/${meetingId}/decide`, { json: { item_ids: itemIds, ...body } })
}

export function putAttendees(meetingId: number, attendees: Attendee[]) {
  return api.put<TriageMeeting>(`/triage/meetings/${meetingId}/attendees`, { json: attendees })
}

export function putMinutes(meetingId: number, text: string) {
  return api.put<TriageMeeting>(`/triage/meetings/${meetingId}/minutes`, { json: { text } })
}

export function closeMeeting(meetingId: number) {
  return api.post<TriageMeeting & { undecided: { item_id: number; matter_id: number; tracking_code: string }[] }>(
    `/triage/meetings/${meetingId}/close`,
    {},
  )
}

/** The minutes as XLSX or as a printable page (fetched with the token). */
export function fetchMinutes(meetingId: number, format: 'xlsx' | 'html') {
  return requestBlob(`/triage/meetings/${meetingId}/minutes.${format}`)
}

// --- supervision notes 督办 ---

export interface SupervisionNote {
  id: number
  matter_id: number
  author: Named
  text: string
  created_at: string
}

export function addSupervisionNote(matterId: number, text: string) {
  return api.post<SupervisionNote>(`/matters/${matterId}/supervision-notes`, { json: { text } })
}

export function fetchSupervisionNotes(matterId: number) {
  return api.get<{ items: SupervisionNote[] }>(`/matters/${matterId}/supervision-notes`)
}

// --- the hazard cycle 隐患排查 ---

export type HazardStatus = 'open' | 'assigned' | 'fixed' | 'closed'
export type RiskLevel = 'major' | 'high' | 'medium' | 'low'
export const HAZARD_TYPES = ['fire', 'gas', 'electrical', 'building', 'road', 'production'] as const
export const RISK_LEVELS: RiskLevel[] = ['major', 'high', 'medium', 'low']

export interface Hazard {
  id: number
  cycle_id: number | null
  task_id: number | null
  community_id: number
  grid: Named
  place: string
  lat: number | null
  lon: number | null
  hazard_type: string
  risk_level: RiskLevel
  description: string
  responsible_unit: string
  deadline: string
  status: HazardStatus
  overdue: boolean
  matter_id: number | null
  photo_ids: number[]
  found_at: string
  found_by_id: number | null
  fixed_at: string | null
}

export interface HazardCreate {
  grid_id: number
  place: string
  hazard_type: string
  risk_level: RiskLevel
  description: string
  responsible_unit: string
  deadline: string
}

export interface CycleHead {
  id: number
  community: Named
  month: string
  opened_at: string
  meeting_at: string | null
  meeting_minutes: string | null
  closed_at: string | null
}

export interface InspectionTask {
  id: number
  grid: Named
  template: { code: string; name: string; items: { code: string; text_zh: string; text_en: string }[] }
  assignee: Named | null
  done: boolean
  done_at: string | null
  results: Record<string, string>
}

export interface Cycle extends CycleHead {
  tasks: InspectionTask[]
  counts: { total: number; done: number; undone: number }
}

export interface Figures {
  found: number
  fixed: number
  overdue: number
}

export interface Bulletin {
  cycle_id: number
  community: Named
  month: string
  as_of: string
  inspections: { total: number; done: number }
  meeting_at: string | null
  totals: Figures
  by_grid: ({ grid: Named } & Figures)[]
  by_type: ({ hazard_type: string; name: string | null } & Figures)[]
  hazards: Hazard[]
}

/** A page of the ledger by deadline; `next_after` (null on the last page) asks for the next one. */
export function listHazards(
  query: { community_id?: number; status?: HazardStatus | ''; grid_id?: string; risk_level?: string; overdue?: string; month?: string; limit?: string; after?: string } = {},
) {
  return api.get<{ items: Hazard[]; next_after?: string | null; total: number; total_exact: boolean }>('/hazards', { query })
}

export function createHazard(body: HazardCreate) {
  return api.post<Hazard>('/hazards', { json: body })
}

export function updateHazard(id: number, body: { status: HazardStatus; note?: string }) {
  return api.patch<Hazard>(`/hazards/${id}`, { json: body })
}

export function assignHazard(id: number, body: { category: string; reason: string; target?: { level: 'street' | 'department'; department_id?: number } }) {
  return api.post<Hazard & { matter: { id: number; tracking_code: string; status: string } }>(`/hazards/${id}/assign`, { json: body })
}

export function listCycles(query: { community_id?: number } = {}) {
  return api.get<{ items: CycleHead[] }>('/hazards/cycles', { query })
}

export function createCycle(body: { community_id: number; month: string }) {
  return api.post<Cycle>('/hazards/cycles', { json: body })
}

export function fetchCycle(id: number) {
  return api.get<Cycle>(`/hazards/cycles/${id}`)
}

export function fetchBulletin(id: number) {
  return api.get<Bulletin>(`/hazards/cycles/${id}/bulletin`)
}

export function fetchBulletinFile(id: number, format: 'xlsx' | 'html') {
  return requestBlob(`/hazards/cycles/${id}/bulletin.${format}`)
}
