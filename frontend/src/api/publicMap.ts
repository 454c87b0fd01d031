// The resident's report map, no sign-in: grids, where a point belongs, places by name, nearby reports, "me too".
import { api } from './client'
import type { components } from './schema'

type Schemas = components['schemas']
export type PublicGridDetail = Schemas['PublicGridDetail']
export type PublicLocation = Schemas['PublicLocation']
export type PublicPlace = Schemas['PublicPlaceOut']
export type NearbyMatter = Schemas['NearbyMatterOut']
export type PublicCategory = Schemas['PublicCategoryOut']

export function fetchPublicGrid(id: number) {
  return api.get<PublicGridDetail>(`/public/grids/${id}`, { auth: false })
}

export function locatePoint(lat: number, lon: number) {
  return api.get<PublicLocation>('/public/locate', { auth: false, query: { lat, lon } })
}

export function searchPlaces(q: string) {
  return api.get<PublicPlace[]>('/public/places', { auth: false, query: { q } })
}

export function fetchNearby(lat: number, lon: number) {
  return api.get<NearbyMatter[]>('/public/nearby', { auth: false, query: { lat, lon } })
}

export function supportMatter(id: number, client: string) {
  return api.post<{ supporters: number }>(`/public/matters/${id}/support`, { json: { client }, auth: false })
}

export function fetchResidentCategories() {
  return api.get<PublicCategory[]>('/public/categories', { auth: false })
}
