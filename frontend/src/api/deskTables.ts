// Endpoints of the desk's tables of patrols and home visits (fetched with their pages: never part of a first screen).
import { api } from './client'
import type { components } from './schema'

export type PatrolTablePage = components['schemas']['PatrolTablePage']
export type VisitTablePage = components['schemas']['VisitTablePage']
export type SpecialGroupRef = components['schemas']['SpecialGroupOut']

/** `query` is tablesLogic.patrolQuery's. */
export function fetchPatrolsTable(query: string) {
  return api.get<PatrolTablePage>(`/patrols/table${query ? `?${query}` : ''}`)
}

/** `query` is tablesLogic.visitQuery's. */
export function fetchVisitsTable(query: string) {
  return api.get<VisitTablePage>(`/visits/table${query ? `?${query}` : ''}`)
}

export function fetchSpecialGroups() {
  return api.get<SpecialGroupRef[]>('/special-groups')
}
