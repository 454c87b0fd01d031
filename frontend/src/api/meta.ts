// GET /api/v1/meta: application facts the map needs (tile server, default view).
import { api } from './client'
import type { Meta } from './types'

export function fetchMeta() {
  return api.get<Meta>('/meta', { auth: false })
}
