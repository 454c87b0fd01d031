// Endpoints of emergencies 突发事件 (issue 5): incidents with their timed reports, response tiers and activations.
// Types are hand-written from backend/wangge/emergencies/schemas.py; keep them in step.
import { api } from './client'

export type ReportKind = 'first' | 'followup' | 'final'

export interface Casualties {
  dead: number
  injured: number
  missing: number
}

export interface IncidentCreate {
  incident_type: string
  severity: number
  title: string
  place: string
  lat?: number
  lon?: number
  occurred_at?: string
  nature?: string
}

export interface IncidentReport {
  id: number
  sequence: number
  kind: ReportKind
  reported_at: string
  due_at: string
  late_seconds: number
  late: boolean
  author_id: number
  nature: string
  casualties: Partial<Casualties>
  scene_status: string
  measures: string | null
}

export interface ReportClock {
  /** The report due next (a final report may follow any time after the first); null once closed. */
  next_kind: 'first' | 'followup' | null
  next_due_at: string | null
  overdue: boolean
}

export interface MemberMuster {
  user_id: number
  name: string
  duty: string | null
  acknowledged_at: string | null
  arrived_at: string | null
  muster_seconds: number | null
  within_target: boolean | null
}

export interface TierRef {
  id: number
  unit_level: 'community' | 'street'
  unit_id: number
  tier: number
  name: string
}

export interface Activation {
  id: number
  incident_id: number
  tier: TierRef
  activated_at: string
  activated_by_id: number
  target_minutes: number
  members: MemberMuster[]
  all_arrived: boolean
  mustered_at: string | null
  muster_seconds: number | null
  within_target: boolean | null
}

export interface Tier extends TierRef {
  members: { user_id: number; name: string; duty: string | null }[]
}

export interface Plan {
  id: number
  title: string
  incident_types: string[]
  owner_id: number | null
  body: string
  reviewed_on: string | null
  review_due_on: string
  review_overdue: boolean
  is_active: boolean
}

export interface Incident {
  id: number
  code: string
  incident_type: string
  severity: number
  severity_label: string
  title: string
  place: string
  lat: number | null
  lon: number | null
  district_id: number | null
  street_id: number | null
  community_id: number | null
  grid_id: number | null
  matter_id: number | null
  raised_by_id: number
  occurred_at: string
  known_at: string
  first_report_due_at: string
  followup_minutes: number
  status: 'open' | 'closed'
  closed_at: string | null
  clock: ReportClock
}

export interface IncidentDetail extends Incident {
  reports: IncidentReport[]
  activations: Activation[]
  plans: Plan[]
}

export interface ReportBody {
  kind: ReportKind
  nature: string
  casualties: Casualties
  scene_status: string
  measures?: string
}

export function raiseIncident(body: IncidentCreate) {
  return api.post<Incident>('/incidents', { json: body })
}

export function listIncidents() {
  return api.get<Incident[] | { items: Incident[] }>('/incidents')
}

export function fetchIncident(id: number | string) {
  return api.get<IncidentDetail>(`/incidents/${id}`)
}

export function sendReport(id: number, body: ReportBody) {
  return api.post<IncidentReport>(`/incidents/${id}/reports`, { json: body })
}

export function fetchTiers(query: { unit_level?: string; unit_id?: number } = {}) {
  return api.get<Tier[] | { items: Tier[] }>('/response-tiers', { query })
}

export function activateTier(incidentId: number, tierId: number) {
  return api.post<Activation>(`/incidents/${incidentId}/activations`, { json: { tier_id: tierId } })
}

export function acknowledge(activationId: number) {
  return api.post<Activation>(`/activations/${activationId}/ack`, {})
}

export function arrive(activationId: number) {
  return api.post<Activation>(`/activations/${activationId}/arrive`, {})
}

/** Lists may come bare or paged. */
export function itemsOf<T>(data: T[] | { items: T[] } | null | undefined): T[] {
  if (!data) return []
  return Array.isArray(data) ? data : (data.items ?? [])
}

/** Incident types offered on the form (codes; the words are in i18n `emergency.types`). */
export const INCIDENT_TYPES = ['fire', 'gas', 'flood', 'building', 'traffic', 'public_health', 'public_security', 'other'] as const
