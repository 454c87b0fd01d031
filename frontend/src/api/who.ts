// Who is my grid 亮证 (issue 13): the public lookup (no account), the grids' posters and the duty phones that the
// administration publishes. Fetched only by the pages that use them.
import { api, requestBlob } from './client'
import type { Schemas } from './types'

export type Who = Schemas['WhoOut']
export type WhoQuery = { lat: number; lon: number } | { building_id: number } | { community_id: number }
export type PosterKind = 'png' | 'pdf'

export function fetchWho(query: WhoQuery) {
  return api.get<Who>('/public/who', { auth: false, query })
}

/** The grid's poster (staff, within their scope): a PNG or a one-page PDF. */
export function fetchPoster(gridId: number, kind: PosterKind) {
  return requestBlob(`/grids/${gridId}/poster.${kind}`)
}

/** The grid's published duty number 网格值班电话; null clears it (422 `phone-invalid` for what is not a number). */
export function setGridDutyPhone(gridId: number, dutyPhone: string | null) {
  return api.patch<Schemas['GridOut']>(`/grids/${gridId}`, { json: { duty_phone: dutyPhone } })
}

/** A community's name and its station's duty phone 服务站值班电话. */
export function updateCommunity(communityId: number, body: { name?: string; duty_phone?: string | null }) {
  return api.patch<Schemas['AreaOut']>(`/communities/${communityId}`, { json: body })
}
