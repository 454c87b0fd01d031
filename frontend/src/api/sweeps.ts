// Endpoints of household sweeps 逐户排查 (issue 14): campaigns over grids, their households, ticks and the export. A tick
// is sent by the offline outbox with the operation's own id as Idempotency-Key, so a retry arrives once.
import { api, requestBlob } from './client'
import type { Schemas } from './types'

export type Sweep = Schemas['SweepOut']
export type SweepDetail = Schemas['SweepDetail']
export type SweepIn = Schemas['SweepIn']
export type SweepTask = Schemas['TaskOut']
export type TickBody = Schemas['TickIn']
export type SweepableGrid = Schemas['SweepableGrid']
export type Progress = Schemas['Progress']
export type TaskState = 'all' | 'missed' | 'done' | 'abnormal'
export type SweepResult = NonNullable<SweepTask['result']>

export const listSweeps = (status?: 'open' | 'closed') => api.get<Sweep[]>('/sweeps', { query: status ? { status } : {} })
export const fetchSweep = (id: number) => api.get<SweepDetail>(`/sweeps/${id}`)
export const sweepableGrids = () => api.get<SweepableGrid[]>('/sweeps/grids')
export const createSweep = (body: SweepIn) => api.post<SweepDetail>('/sweeps', { json: body })
export const closeSweep = (id: number) => api.post<SweepDetail>(`/sweeps/${id}/close`)
export const exportSweep = (id: number) => requestBlob(`/sweeps/${id}/results.xlsx`)

export async function fetchTasks(id: number, filter: { grid_id?: number; building_id?: number; state?: TaskState } = {}) {
  const page = await api.get<{ items: SweepTask[]; total: number }>(`/sweeps/${id}/tasks`, { query: { ...filter, limit: 1000 } })
  return page.items
}

export function tickTask(sweepId: number, taskId: number, body: TickBody, key: string) {
  return api.post<SweepTask>(`/sweeps/${sweepId}/tasks/${taskId}/tick`, { json: body, headers: { 'Idempotency-Key': key } })
}
