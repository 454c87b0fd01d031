// Endpoints of the grid's registries 一标三实 (fetched with their pages: never part of a first screen). Identity
// numbers and phones come masked; `reveal` and the XLSX export unmask them and are logged by the server.
import { api, requestBlob } from './client'
import type { components } from './schema'

export type House = components['schemas']['HouseOut']
export type HouseIn = components['schemas']['HouseIn']
export type HousePatch = components['schemas']['HousePatch']
export type Person = components['schemas']['PersonOut']
export type PersonPage = components['schemas']['PersonPage']
export type PersonIn = components['schemas']['PersonIn']
export type PersonPatch = components['schemas']['PersonPatch']
export type MoveIn = components['schemas']['MoveIn']
export type Tenancy = components['schemas']['TenancyOut']
export type TenancyPage = components['schemas']['TenancyPage']
export type RegistryEvent = components['schemas']['RegistryEventOut']
export type Revealed = components['schemas']['Revealed']
export type Unit = components['schemas']['UnitOut']
export type AccessPage = components['schemas']['AccessLogPage']
export interface BuildingRef {
  id: number
  name: string
}

const base = (gridId: number) => `/registry/grids/${gridId}`
const day = (on?: string) => (on ? { query: { on } } : {})

export const fetchHouses = (gridId: number, on?: string) => api.get<House[]>(`${base(gridId)}/houses`, day(on))
// The people living in the grid, a page at a time (keyset: `after` is the page before's `next_after`).
export const fetchPeople = (gridId: number, on?: string, after?: string | null, limit = 200) =>
  api.get<PersonPage>(`${base(gridId)}/people`, { query: { limit, ...(on ? { on } : {}), ...(after ? { after } : {}) } })
// All of them, page after page (field collection keeps the whole grid in the phone).
export async function fetchAllPeople(gridId: number, on?: string): Promise<Person[]> {
  const all: Person[] = []
  let after: string | null = null
  do {
    const page: PersonPage = await fetchPeople(gridId, on, after, 500)
    all.push(...page.items)
    after = page.next_after ?? null
  } while (after)
  return all
}
export const fetchEvents = (gridId: number) => api.get<RegistryEvent[]>(`${base(gridId)}/events`)
export const fetchRenewals = (gridId: number) => api.get<Person[]>(`${base(gridId)}/renewals`)
export const fetchUnits = (gridId: number) => api.get<Unit[]>(`${base(gridId)}/units`)
// The grid's tenancies, newest first, a page at a time (keyset, as the people).
export const fetchTenancies = (gridId: number, on?: string, after?: string | null, limit = 100) =>
  api.get<TenancyPage>(`${base(gridId)}/tenancies`, { query: { limit, ...(on ? { on } : {}), ...(after ? { after } : {}) } })
// The writes field collection sends from the offline outbox take the operation's id as Idempotency-Key.
const keyed = (key?: string) => (key ? { headers: { 'Idempotency-Key': key } } : {})
export const addHouse = (gridId: number, body: HouseIn, key?: string) =>
  api.post<House>(`${base(gridId)}/houses`, { json: body, ...keyed(key) })
export const patchHouse = (id: number, body: HousePatch, key?: string) =>
  api.patch<House>(`/registry/houses/${id}`, { json: body, ...keyed(key) })
export const addPerson = (gridId: number, body: PersonIn, key?: string) =>
  api.post<Person>(`${base(gridId)}/people`, { json: body, ...keyed(key) })
export const patchPerson = (id: number, body: PersonPatch, key?: string) =>
  api.patch<Person>(`/registry/people/${id}`, { json: body, ...keyed(key) })
export const recordMove = (id: number, body: MoveIn, key?: string) =>
  api.post<Person>(`/registry/people/${id}/moves`, { json: body, ...keyed(key) })
export const findByIdNumber = (idNumber: string) => api.get<Person[]>('/registry/people', { query: { id_number: idNumber } })
export const reveal = (personIds: number[]) => api.post<Revealed[]>('/registry/people/reveal', { json: { person_ids: personIds } })
export const startTenancy = (body: { house_id: number; person_id: number; start_on: string }) =>
  api.post<Tenancy>('/registry/tenancies', { json: body })
export const endTenancy = (id: number, endOn: string) => api.post<Tenancy>(`/registry/tenancies/${id}/end`, { json: { end_on: endOn } })
export const exportPeople = (gridId: number) => requestBlob(`${base(gridId)}/people.xlsx`)
// The log newest first, a page at a time (keyset: `after` is the page before's `next_after`).
export const fetchAccessLog = (after?: string | null) =>
  api.get<AccessPage>('/registry/access-log', { query: { limit: 50, ...(after ? { after } : {}) } })
export async function fetchBuildings(gridId: number): Promise<BuildingRef[]> {
  return (await api.get<{ items: BuildingRef[] }>(`/grids/${gridId}/buildings`, { query: { limit: 1000 } })).items
}
export type UnitPatch = components['schemas']['UnitPatch']
export const patchUnit = (placeId: number, body: UnitPatch) => api.patch<Unit>(`/registry/units/${placeId}`, { json: body })
