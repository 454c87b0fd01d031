// Endpoints of matters (事项): the resident's public pages and the staff's inbox, records and actions.
import { api, request, requestFull } from './client'
import type {
  ActionBody,
  AppNotification,
  Category,
  Department,
  Handoff,
  Matter,
  MatterEvent,
  MatterLoop,
  MatterPage,
  PublicCreated,
  PublicMatter,
  PublicMatterCreate,
  Rating,
  StaffMatterCreate,
  SupervisionPage,
  UploadedPhoto,
} from './types'

// --- public (no sign-in) ---

/** Every active category (no sign-in needed): staff pick from all; residents from /public/categories. */
export function fetchActiveCategories() {
  return api.get<Category[]>('/categories', { auth: false })
}

export function uploadPublicPhoto(file: File | Blob) {
  const formData = new FormData()
  formData.append('file', file)
  return api.post<UploadedPhoto>('/public/photos', { formData, auth: false })
}

export function submitPublicMatter(body: PublicMatterCreate, idempotencyKey: string) {
  return api.post<PublicCreated>('/public/matters', { json: body, auth: false, headers: { 'Idempotency-Key': idempotencyKey } })
}

/** The resident's proof: the token of the tracking link, or the phone's last four digits. */
export type TrackingProof = { token: string } | { phone_last4: string }

/** The token travels in a header, so that it stays out of access logs (the digits are a query parameter). */
export function trackMatter(code: string, proof: TrackingProof) {
  return api.get<PublicMatter>(`/public/matters/${encodeURIComponent(code)}`, {
    auth: false,
    ...('token' in proof ? { headers: { 'X-Tracking-Token': proof.token } } : { query: { phone_last4: proof.phone_last4 } }),
  })
}

/** The link a resident keeps: the token is in the fragment, which browsers never send to a server. */
export function trackingLink(code: string, token: string): string {
  return `/track/${encodeURIComponent(code)}#t=${encodeURIComponent(token)}`
}

export function rateMatter(code: string, body: TrackingProof & { rating: Rating; comment?: string }) {
  return api.post<PublicMatter>(`/public/matters/${encodeURIComponent(code)}/rating`, { json: body, auth: false })
}

export function objectToMatter(code: string, body: TrackingProof & { reason: string }) {
  return api.post<PublicMatter>(`/public/matters/${encodeURIComponent(code)}/objection`, { json: body, auth: false })
}

// --- staff ---

export function fetchCategories() {
  return api.get<Category[]>('/categories')
}

/** A staff photo; `after`: the result's photo 处理后照片, for resolving or handling on the spot. */
export function uploadPhoto(file: File | Blob, stage?: 'after') {
  const formData = new FormData()
  formData.append('file', file)
  if (stage) formData.append('stage', stage)
  return api.post<UploadedPhoto>('/photos', { formData })
}

export function createMatter(body: StaffMatterCreate, idempotencyKey: string) {
  return api.post<Matter>('/matters', { json: body, headers: { 'Idempotency-Key': idempotencyKey } })
}

export type Box = 'mine' | 'grid' | 'unit' | 'all' | 'cooperating'

export function listMatters(params: { box: Box; status: 'open' | 'closed'; limit: number; offset?: number; after?: number }) {
  return api.get<MatterPage>('/matters', { query: params })
}

/** The record and its ETag (needed as If-Match by every action). */
export async function fetchMatter(id: number | string) {
  const { data, headers } = await requestFull<Matter>(`/matters/${id}`)
  return { matter: data, etag: headers.get('ETag') ?? `"${data.version}"` }
}

export async function takeAction(id: number | string, action: string, etag: string, body: ActionBody) {
  const { data, headers } = await requestFull<Matter>(`/matters/${id}/actions/${encodeURIComponent(action)}`, {
    method: 'POST',
    json: body,
    headers: { 'If-Match': etag },
  })
  return { matter: data, etag: headers.get('ETag') ?? `"${data.version}"` }
}

export function fetchTimeline(id: number | string) {
  return api.get<MatterEvent[]>(`/matters/${id}/timeline`)
}

export function fetchHandoffs(id: number | string) {
  return api.get<Handoff[]>(`/matters/${id}/handoffs`)
}

/** A page of 督办 (`offset` from the page before's `next_offset`). */
export function fetchSupervision(offset = 0, limit = 50) {
  return api.get<SupervisionPage>('/matters/supervision', { query: { offset, limit } })
}

/** The steps around the routes on one record: contacts, applications, verification, callbacks, mediation, co-operators. */
export function fetchLoop(id: number | string) {
  return api.get<MatterLoop>(`/matters/${id}/loop`)
}

export function fetchDepartments() {
  return api.get<{ items: Department[] }>('/departments', { query: { limit: 100 } })
}

// --- notifications ---

export function fetchUnreadNotifications() {
  return api.get<{ items: AppNotification[]; total: number }>('/notifications', { query: { unread_only: true, limit: 50 } })
}

export function markNotificationRead(id: number) {
  return request<AppNotification>(`/notifications/${id}/read`, { method: 'POST' })
}
