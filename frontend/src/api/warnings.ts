// Endpoints of early warnings 预警 (issue 14) and of an incident's reports in the district emergency office's form.
import { api, requestBlob } from './client'
import type { Schemas } from './types'

export type Warning = Schemas['WarningOut']
export type WarningDetail = Schemas['WarningDetail']
export type WarningIn = Schemas['WarningIn']
export type WarnableGrid = Schemas['WarnableGrid']
export type DistrictReport = Schemas['DistrictReport']

export function listWarnings(status?: 'active' | 'lifted') {
  return api.get<Warning[]>('/warnings', { query: status ? { status } : {} })
}

export function fetchWarning(id: number) {
  return api.get<WarningDetail>(`/warnings/${id}`)
}

export function warnableGrids() {
  return api.get<WarnableGrid[]>('/warnings/grids')
}

export function issueWarning(body: WarningIn) {
  return api.post<WarningDetail>('/warnings', { json: body })
}

export function liftWarning(id: number, note: string | null) {
  return api.post<WarningDetail>(`/warnings/${id}/lift`, { json: { note } })
}

export function acknowledgeWarning(id: number) {
  return api.post<Warning>(`/warnings/${id}/ack`)
}

export function fetchDistrictReport(incidentId: number, sequence: number) {
  return api.get<DistrictReport>(`/incidents/${incidentId}/reports/${sequence}/district`)
}

export function fetchDistrictReportXlsx(incidentId: number, sequence: number) {
  return requestBlob(`/incidents/${incidentId}/reports/${sequence}.xlsx`)
}
