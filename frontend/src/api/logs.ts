// The grid leaders' daily logs and weeks read from above 有人督查 (station chief, street officer, administrator), and
// the remarks 督查意见 left on them, which the leader reads (and marks read) on 我的一天.
import { api } from './client'
import type { Schemas } from './types'

export type Remark = Schemas['Remark']
export type LogPage = Schemas['LogPage']
export type LeaderLogs = Schemas['LeaderLogs']
export type LogCell = Schemas['LogCell']
export type LeaderDay = Schemas['LeaderDay']
export type LeaderWeek = Schemas['LeaderWeek']

export interface LogQuery {
  start: string
  end?: string
  grid_id?: number
  signed?: boolean
  after?: number
  limit?: number
}

export function listLogs(query: LogQuery) {
  return api.get<LogPage>('/fieldwork/logs', { query: { ...query } })
}

export function fetchLeaderDay(userId: number, day: string) {
  return api.get<LeaderDay>(`/fieldwork/logs/${userId}/days/${day}`)
}

export function fetchLeaderWeek(userId: number, start: string) {
  return api.get<LeaderWeek>(`/fieldwork/logs/${userId}/weeks/${start}`)
}

export function addRemark(userId: number, kind: 'day' | 'week', day: string, text: string) {
  const path = kind === 'day' ? `days/${day}` : `weeks/${day}`
  return api.post<Remark>(`/fieldwork/logs/${userId}/${path}/remarks`, { json: { text } })
}

export function markRemarkRead(id: number) {
  return api.post<Remark>(`/fieldwork/my-remarks/${id}/read`, { json: {} })
}
