// Endpoints of the desk's table of matters (fetched with the table only: never part of a first screen).
import { api, requestBlob } from './client'
import type { components } from './schema'

export type DeskRow = components['schemas']['DeskRow']
export type DeskPage = components['schemas']['DeskPage']

/** `query` is deskLogic.tableQuery's: repeated parameters the client's own query object cannot say. */
export function fetchMattersTable(query: string) {
  return api.get<DeskPage>(`/matters/table${query ? `?${query}` : ''}`)
}

export function exportMatters(query: string) {
  return requestBlob(`/matters/export.xlsx${query ? `?${query}` : ''}`)
}

interface Named {
  id: number
  name: string
  community_id?: number
}

/** The grids (and communities) the caller sees, for the filter bar. */
export async function fetchPlaces(): Promise<{ grids: Named[]; communities: Named[] }> {
  const [grids, communities] = await Promise.all([
    api.get<{ items: Named[] }>('/grids', { query: { active: true, limit: 1000 } }),
    api.get<{ items: Named[] }>('/communities', { query: { active: true, limit: 1000 } }),
  ])
  return { grids: grids.items, communities: communities.items }
}

export type IncidentPage = components['schemas']['IncidentPage']

/** `query` is deskLogic.incidentQuery's. */
export function fetchIncidentsTable(query: string) {
  return api.get<IncidentPage>(`/incidents/table${query ? `?${query}` : ''}`)
}

export type HandoffPage = components['schemas']['HandoffPage']

export function fetchHandoffsTable(query: string) {
  return api.get<HandoffPage>(`/handoffs/table${query ? `?${query}` : ''}`)
}
