// Pure parts of fallbackLayers.ts: when and for which grids the buildings and places are fetched, and which of their
// names are shown (those that overlap no grid name and no name shown before them).

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

/** A label's box on the screen, in pixels (as getBoundingClientRect gives it). */
export interface LabelBox {
  left: number
  top: number
  right: number
  bottom: number
}

const overlaps = (a: LabelBox, b: LabelBox, gap: number) =>
  a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap

/** Which of `labels` (in order of importance) to show: each one that overlaps none of the `kept` boxes (the grids'
 * names, always shown) nor any label shown before it, `gap` pixels apart. An empty box (not laid out) is hidden. */
export function labelsToShow(kept: readonly LabelBox[], labels: readonly LabelBox[], gap = 2): boolean[] {
  const shown: LabelBox[] = [...kept]
  return labels.map((box) => {
    if (box.right <= box.left || box.bottom <= box.top) return false
    if (shown.some((other) => overlaps(box, other, gap))) return false
    shown.push(box)
    return true
  })
}
