// What makes a map readable with no basemap at all (WANGGE_BASEMAP=none, or tiles that never come): each grid's name
// on it, the communities' boundaries, and from zoom 16 the buildings and places of the grids in view with their
// names. Loaded only for such a map (the pages import it on demand), so a map with tiles costs nothing more. A building
// or place name is shown only where it overlaps no grid name and no other name (places first), so the grids' names
// stay readable in a crowded street; the others come out as the user zooms in, or while their dot is pointed at.
import L from '@/pages/grids/leaflet'
import { api } from '@/api/client'
import type { Feature } from 'geojson'
import type { MapView } from './basemap'
import './fallbackLayers.css'
import { DETAIL_ZOOM, gridsToDetail, labelsToShow, type Named } from './fallbackLogic'

interface Area {
  id: number
  name: string
  geometry?: unknown
}

/** Each grid's name, always shown, in the middle of its shape (as text: a name is what someone typed). */
export function labelGrids(layer: L.GeoJSON, nameOf: (feature: Feature) => string) {
  layer.eachLayer((each) => {
    const feature = (each as L.GeoJSON).feature as Feature | undefined
    if (!feature) return
    const path = each as L.Path
    path.unbindTooltip()
    const label = document.createElement('span')
    label.textContent = nameOf(feature)
    path.bindTooltip(label, { permanent: true, direction: 'center', className: 'map-label map-label--grid', interactive: false })
  })
}

/** The communities' boundaries (dashed dark lines under the grids); those the user may not see are left out. */
export async function drawCommunities(map: L.Map, view: MapView, signal?: AbortSignal): Promise<L.GeoJSON | null> {
  const page = await api.get<{ items: Area[] }>('/communities', { query: { active: true, with_geometry: true, limit: 1000 }, signal })
  const features = page.items
    .filter((c) => c.geometry)
    .map((c) => ({ type: 'Feature', properties: { name: c.name }, geometry: c.geometry }) as Feature)
  if (!features.length) return null
  const layer = L.geoJSON({ type: 'FeatureCollection', features } as GeoJSON.FeatureCollection, {
    ...view.geoJsonOptions(),
    style: { color: '#262626', weight: 3, opacity: 0.7, dashArray: '8 6', fill: false, className: 'map-community' },
    interactive: false,
  }).addTo(map)
  layer.bringToBack()
  return layer
}

/** From zoom 16 on, the buildings and places of the grids in view (at most MAX_GRIDS_IN_DETAIL, each fetched
 * once) with their names; further out, none. Returns the function that stops it. */
export function followDetails(map: L.Map, view: MapView, grids: L.GeoJSON): () => void {
  const group = L.layerGroup()
  const fetched = new Map<number, Promise<void>>()
  let frame = 0
  let later = 0
  // Laid out on the next frame, and once more a moment later: a grid's name may be placed anew after the move that
  // asked (seen as a building's name left over a grid's name on a loaded machine).
  const declutter = () => {
    cancelAnimationFrame(frame)
    clearTimeout(later)
    frame = requestAnimationFrame(() => declutterLabels(map))
    later = window.setTimeout(() => declutterLabels(map), 300)
  }
  const show = () => {
    if (map.getZoom() < DETAIL_ZOOM) {
      group.remove()
      return
    }
    group.addTo(map)
    const inView: Array<{ id: number; bounds: L.LatLngBounds }> = []
    grids.eachLayer((each) => {
      const id = ((each as L.GeoJSON).feature as Feature | undefined)?.properties?.id
      if (typeof id === 'number') inView.push({ id, bounds: (each as L.Polygon).getBounds() })
    })
    for (const id of gridsToDetail(inView, map.getBounds(), fetched))
      fetched.set(id, drawGridDetails(id, view, group).then(() => declutter()))
    declutter()
  }
  map.on('moveend', show)
  show()
  return () => {
    map.off('moveend', show)
    cancelAnimationFrame(frame)
    clearTimeout(later)
    group.remove()
  }
}

/** Hides each building or place name that would cover a grid's name or a name already shown (places first). */
function declutterLabels(map: L.Map) {
  const pane = map.getPane('tooltipPane')
  if (!pane) return
  const rect = (el: Element) => el.getBoundingClientRect()
  const grids = [...pane.querySelectorAll('.map-label--grid')].map(rect)
  const labels = [...pane.querySelectorAll<HTMLElement>('.map-label--place'), ...pane.querySelectorAll<HTMLElement>('.map-label--building')]
  labelsToShow(grids, labels.map(rect)).forEach((shown, i) => labels[i]!.classList.toggle('map-label--hidden', !shown))
}

async function drawGridDetails(gridId: number, view: MapView, group: L.LayerGroup): Promise<void> {
  const query = { limit: 1000 }
  const [buildings, places] = await Promise.all(
    ['buildings', 'places'].map((kind) =>
      api.get<{ items: Named[] }>(`/grids/${gridId}/${kind}`, { query }).then((p) => p.items).catch(() => [] as Named[]),
    ),
  )
  const mark = (item: Named, kind: 'building' | 'place') => {
    if (item.lat == null || item.lon == null || item.is_active === false) return
    const label = document.createElement('span')
    label.textContent = item.name
    const dot = L.circleMarker(L.latLng(view.toView([item.lat, item.lon])), {
      radius: kind === 'building' ? 4 : 5,
      color: kind === 'building' ? '#595959' : '#722ed1',
      weight: 1,
      fillOpacity: 0.9,
      className: `map-${kind}`,
    })
      .bindTooltip(label, { permanent: true, direction: 'right', offset: [6, 0], className: `map-label map-label--${kind}` })
      .addTo(group)
    // A name left out for want of room shows while its dot is pointed at or tapped.
    const ask = (on: boolean) => () => label.parentElement?.classList.toggle('map-label--asked', on)
    dot.on('mouseover click', ask(true)).on('mouseout', ask(false))
  }
  buildings!.forEach((b) => mark(b, 'building'))
  places!.forEach((p) => mark(p, 'place'))
}
