// Endpoints of the desk's queues around the routes (待审批, 待核查, 待回访) and of the 12345 hotline (an import of
// orders, an export of their results): fetched with those pages only, never part of a first screen.
import { api, requestBlob } from './client'
import type { components } from './schema'

export type QueueItem = components['schemas']['QueueItem']
export type HotlineImport = components['schemas']['HotlineImport']
export type HotlineImportRow = components['schemas']['HotlineImportRow']
export type HotlineResults = components['schemas']['HotlineResults']

export function fetchApplications() {
  return api.get<QueueItem[]>('/matters/applications')
}

export function fetchVerifications() {
  return api.get<QueueItem[]>('/matters/verifications')
}

export function fetchCallbacks() {
  return api.get<QueueItem[]>('/matters/callbacks')
}

/** A file of orders as it is: `type` is text/csv or application/json (hotlineLogic.importType). */
export function importHotline(file: Blob, type: string) {
  return api.post<HotlineImport>('/matters/import', { raw: { body: file, type } })
}

export function fetchHotlineResults(since: string, until: string) {
  return api.get<HotlineResults>('/matters/hotline/results', { query: { since, until, format: 'json' } })
}

export function downloadHotlineResults(since: string, until: string) {
  const query = new URLSearchParams({ since, until, format: 'csv' })
  return requestBlob(`/matters/hotline/results?${query}`)
}
