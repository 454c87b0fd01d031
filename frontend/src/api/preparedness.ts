// Endpoints of preparedness (issue 14): supplies in reserve 应急物资储备 with stock in and out, and the duty roster 值班表.
import { api, requestBlob } from './client'
import type { Schemas } from './types'

export type ReserveItem = Schemas['ReserveItemOut']
export type ReserveList = Schemas['ReserveItemList']
export type ReserveItemIn = Schemas['ReserveItemIn']
export type ReserveItemUpdate = Schemas['ReserveItemUpdate']
export type StockMove = Schemas['StockMoveOut']
export type MoveResult = Schemas['StockMoveResult']
export type Roster = Schemas['DutyRosterOut']
export type DutyDayIn = Schemas['DutyDayIn']
export type UnitLevel = 'community' | 'street'

export const RESERVE_CATEGORIES = ['flood', 'fire', 'medical', 'food', 'rescue', 'power', 'other'] as const

export function listReserve(unitLevel: UnitLevel, unitId: number, includeInactive = false) {
  return api.get<ReserveList>('/reserve/items', { query: { unit_level: unitLevel, unit_id: unitId, include_inactive: includeInactive } })
}

export function createReserveItem(body: ReserveItemIn) {
  return api.post<ReserveItem>('/reserve/items', { json: body })
}

export function updateReserveItem(id: number, body: ReserveItemUpdate) {
  return api.patch<ReserveItem>(`/reserve/items/${id}`, { json: body })
}

export function moveStock(id: number, body: { direction: 'in' | 'out'; quantity: number; reason: string }) {
  return api.post<MoveResult>(`/reserve/items/${id}/moves`, { json: body })
}

export function listMoves(id: number) {
  return api.get<StockMove[]>(`/reserve/items/${id}/moves`)
}

export function reserveXlsx(unitLevel: UnitLevel, unitId: number) {
  return requestBlob(`/reserve/items.xlsx?unit_level=${unitLevel}&unit_id=${unitId}`)
}

export function getRoster(unitLevel: UnitLevel, unitId: number, month: string) {
  return api.get<Roster>('/duty-roster', { query: { unit_level: unitLevel, unit_id: unitId, month } })
}

export function putRoster(unitLevel: UnitLevel, unitId: number, days: DutyDayIn[]) {
  return api.put<Roster>('/duty-roster', { json: { unit_level: unitLevel, unit_id: unitId, days } })
}
