// The assessment schemes 考核方案 (issue 12): every version of a street's scheme (or of the district-wide default),
// the one in force for a month, and the next version an administrator creates. Shapes of the shared contract
// (backend/wangge/assessment/schemas.py: SchemeIn, SchemeOut).
import { api } from './client'

export interface SchemeIndicator {
  key: string
  weight: number
}
export interface SchemeDeduction {
  key: string
  points: number
  max: number
}
export interface SchemeRules {
  indicators: SchemeIndicator[]
  deductions: SchemeDeduction[]
  green: number
  yellow: number
  min_count: number
}
export interface Scheme {
  /** null: the built-in default (三率 30/35/35), never stored. */
  id: number | null
  street_id: number | null
  version: number
  effective_from: string
  rules: SchemeRules
  created_by: number | null
  created_at: string | null
}
export interface SchemeCreate {
  street_id: number | null
  effective_from: string
  rules: SchemeRules
}

/** Every version, newest first; without a street: the district-wide default's. */
export function listSchemes(streetId: number | null) {
  return api.get<Scheme[]>('/assessment/schemes', { query: { street_id: streetId ?? undefined } })
}

/** The scheme scoring the street's month (the street's, else the default's, else the built-in one). */
export function currentScheme(streetId: number | null, month?: string) {
  return api.get<Scheme>('/assessment/schemes/current', { query: { street_id: streetId ?? undefined, month } })
}

export function createScheme(body: SchemeCreate) {
  return api.post<Scheme>('/assessment/schemes', { json: body })
}
