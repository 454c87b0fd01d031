// Who is my grid 亮证 (issue 13): the public lookup (no account), fetched only by its page. The posters are in
// ./grids.ts, the duty phones the administration publishes in ./admin.ts.
import { api } from './client'
import type { Schemas } from './types'

export type Who = Schemas['WhoOut']
export type WhoQuery = { lat: number; lon: number } | { building_id: number } | { community_id: number }

export function fetchWho(query: WhoQuery) {
  return api.get<Who>('/public/who', { auth: false, query })
}
