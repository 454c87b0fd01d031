// The assessment schemes 考核方案 (issue 12): every version of a street's scheme (or of the district-wide default),
// the one in force for a month, and the next version an administrator creates. Shapes of the shared contract
// (backend/wangge/assessment/schemas.py: SchemeIn, SchemeOut; generated types).
import { api } from './client'
import type { Schemas } from './types'

export type SchemeRules = Schemas['SchemeRules']
/** A version; id null and version 0: the built-in default (三率 30/35/35), never stored. */
export type Scheme = Schemas['SchemeOut']
export type SchemeCreate = Schemas['SchemeIn']

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
