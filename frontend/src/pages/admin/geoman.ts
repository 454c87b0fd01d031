// Leaflet-Geoman (drawing and vertex editing with snapping), for the grid editor only: it and its stylesheet are in
// that page's chunk, never in a first screen. Geoman extends the global `L`, so the bundled Leaflet is handed to it
// before it loads.
import L from '@/pages/grids/leaflet'
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css'

export async function loadGeoman(): Promise<typeof L> {
  ;(window as unknown as { L: typeof L }).L = L
  await import('@geoman-io/leaflet-geoman-free')
  return L
}
