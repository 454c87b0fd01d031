// Checklist templates of the monthly hazard inspection (管理 → 检查表) and the inspection tasks a grid leader fills
// on the phone (本月排查). Types from the backend's OpenAPI (schema.d.ts).
import { api } from './client'
import type { Schemas } from './types'

export type Checklist = Schemas['ChecklistOut']
export type ChecklistCreate = Schemas['ChecklistCreate']
export type ChecklistUpdate = Schemas['ChecklistUpdate']
export type ChecklistItem = Schemas['ChecklistItem']
export type InspectionTask = Schemas['InspectionTaskOut']
export type InspectionResults = Schemas['InspectionResults']
export type ItemResult = 'ok' | 'hazard' | 'n/a'

export async function listChecklists(active?: boolean): Promise<Checklist[]> {
  return (await api.get<Schemas['ChecklistList']>('/hazards/checklists', { query: { active } })).items
}

export function createChecklist(body: ChecklistCreate) {
  return api.post<Checklist>('/hazards/checklists', { json: body })
}

export function updateChecklist(id: number, body: ChecklistUpdate) {
  return api.patch<Checklist>(`/hazards/checklists/${id}`, { json: body })
}

export async function listTasks(query: { month?: string; grid_id?: number } = {}): Promise<InspectionTask[]> {
  return (await api.get<Schemas['InspectionTaskList']>('/hazards/tasks', { query })).items
}

export function fetchTask(id: number) {
  return api.get<InspectionTask>(`/hazards/tasks/${id}`)
}

export function submitResults(id: number, body: InspectionResults) {
  return api.post<unknown>(`/hazards/tasks/${id}/results`, { json: body })
}
