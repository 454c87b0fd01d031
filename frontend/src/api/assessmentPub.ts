// The assessment's published papers (issue 12): the monthly bulletins 通报 of the streets and the communities' public
// boards 公示栏 (no account). Fetched only by their pages.
import { api, requestBlob } from './client'
import type { Schemas } from './types'

export type Board = Schemas['BoardOut']
export type BoardRate = Schemas['BoardRate']
export type PublicCommunity = Schemas['PublicCommunity']
export type BulletinSummary = Schemas['BulletinSummary']
export type Bulletin = Schemas['BulletinOut']

export function fetchBoard(communityId: number) {
  return api.get<Board>(`/public/communities/${communityId}/board`, { auth: false })
}

export function fetchPublicCommunities() {
  return api.get<PublicCommunity[]>('/public/communities', { auth: false })
}

export function fetchBulletins(streetId?: number) {
  return api.get<BulletinSummary[]>('/assessment/bulletins', { query: streetId ? { street_id: streetId } : {} })
}

export function fetchBulletin(id: number) {
  return api.get<Bulletin>(`/assessment/bulletins/${id}`)
}

export function fetchBulletinXlsx(id: number) {
  return requestBlob(`/assessment/bulletins/${id}.xlsx`)
}
