// Pure parts of fallbackLayers.ts: when and for which grids the buildings and places are fetched.

/** Buildings and places are drawn from this zoom on (a street's worth of the map). */
export const DETAIL_ZOOM = 16
/** At most this many grids' buildings and places are fetched for one view. */
export const MAX_GRIDS_IN_DETAIL = 12

/** A building or place as the grid's lists answer it. */
export interface Named {
  id: number
  name: string
  lat: number | null
  lon: number | null
  is_active?: boolean
}

/** The grids in view whose details are not fetched yet, at most as many as may still be fetched for this view. */
export function gridsToDetail<B extends { intersects(other: B): boolean }>(
  grids: Array<{ id: number; bounds: B }>,
  view: B,
  fetched: Map<number, unknown>,
): number[] {
  const visible = grids.filter((g) => g.bounds.intersects(view)).map((g) => g.id)
  const already = visible.filter((id) => fetched.has(id)).length
  return visible.filter((id) => !fetched.has(id)).slice(0, Math.max(0, MAX_GRIDS_IN_DETAIL - already))
}
