// Endpoints of /api/v1/grids.
import { api } from './client'
import type { GridFeatureCollection } from './types'

/** The grids in the caller's scope as GeoJSON, optionally only those of one community. */
export function exportGrids(communityId?: number, signal?: AbortSignal) {
  return api.get<GridFeatureCollection>('/grids/export', { query: { community_id: communityId }, signal })
}
