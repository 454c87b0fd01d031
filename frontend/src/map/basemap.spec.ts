import { afterEach, describe, expect, it, vi } from 'vitest'
import L from '@/pages/grids/leaflet'
import type { Meta } from '@/api/types'
import { addBasemap, prepareBasemap } from './basemap'
import { basemapOf, layerOptions } from './basemapLogic'
import { metresBetween, wgs84ToGcj02, type LatLon } from './coords'

const AMAP_URL = 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}'
const base = { app_name: 'w', version: '1', tile_url: '', tile_attribution: '', default_center: [28.11, 113.02], default_zoom: 15 } as Meta
const amap: Meta = {
  ...base,
  basemap: { preset: 'amap', datum: 'gcj02', layers: [{ url: AMAP_URL, attribution: '© 高德地图', max_zoom: 18, max_native_zoom: null, subdomains: ['1', '2', '3', '4'] }] },
}
// The demo city's station (Changsha), in WGS 84 as the server stores it.
const KNOWN: LatLon = [28.1105, 113.0215]

let maps: L.Map[] = []
function newMap(): L.Map {
  const el = document.createElement('div')
  Object.defineProperty(el, 'clientWidth', { value: 360 })
  Object.defineProperty(el, 'clientHeight', { value: 300 })
  document.body.append(el)
  const m = L.map(el).setView(KNOWN, 16)
  maps.push(m)
  return m
}
afterEach(() => {
  for (const m of maps) m.remove()
  maps = []
})

describe('basemapOf', () => {
  it('is none without a basemap in the meta', () => {
    expect(basemapOf(null)).toEqual({ preset: 'none', datum: 'wgs84', layers: [] })
    expect(basemapOf(base)).toEqual({ preset: 'none', datum: 'wgs84', layers: [] })
    expect(basemapOf(amap).datum).toBe('gcj02')
  })

  it('gives Leaflet the subdomains and the deepest zoom of the file', () => {
    const o = layerOptions({ url: '/api/v1/basemap/tiles/{z}/{x}/{y}', attribution: '', max_zoom: 19, max_native_zoom: 14, subdomains: [] })
    expect(o).toMatchObject({ maxZoom: 19, maxNativeZoom: 14, attribution: undefined })
    expect('subdomains' in o).toBe(false)
    expect(layerOptions(amap.basemap!.layers[0]!).subdomains).toEqual(['1', '2', '3', '4'])
  })
})

describe('addBasemap', () => {
  it('draws no tiles without a basemap and leaves WGS 84 as it is', () => {
    const m = newMap()
    const view = addBasemap(m, base)
    let tiles = 0
    m.eachLayer((layer) => (tiles += layer instanceof L.TileLayer ? 1 : 0))
    expect(tiles).toBe(0)
    expect(view).toMatchObject({ datum: 'wgs84', tiled: false })
    expect(view.toView(KNOWN)).toEqual(KNOWN)
  })

  it('on a GCJ-02 basemap draws data shifted and turns a tap back into WGS 84 within a metre', async () => {
    await prepareBasemap(amap)
    const m = newMap()
    const view = addBasemap(m, amap)
    expect(view).toMatchObject({ datum: 'gcj02', tiled: true })
    const layers: L.TileLayer[] = []
    m.eachLayer((layer) => layer instanceof L.TileLayer && layers.push(layer))
    expect(layers.map((l) => (l as unknown as { _url: string })._url)).toEqual([AMAP_URL])

    // A polygon from the server lands where the GCJ-02 tiles show the place …
    const polygon = { type: 'Polygon', coordinates: [[[113.0215, 28.1105], [113.0225, 28.1105], [113.0225, 28.1115], [113.0215, 28.1105]]] }
    const layer = L.geoJSON(polygon as GeoJSON.Polygon, view.geoJsonOptions()).addTo(m)
    const first = ((layer.getLayers()[0] as L.Polygon).getLatLngs() as L.LatLng[][])[0]![0]!
    expect(metresBetween([first.lat, first.lng], wgs84ToGcj02(KNOWN))).toBeLessThan(0.01)
    expect(metresBetween([first.lat, first.lng], KNOWN)).toBeGreaterThan(100)

    // … and a tap on that spot of the map is the known point again.
    let tapped: LatLon | null = null
    m.on('click', (e: L.LeafletMouseEvent) => (tapped = view.fromView([e.latlng.lat, e.latlng.lng])))
    const at = L.latLng(view.toView(KNOWN))
    m.fire('click', { latlng: at, layerPoint: m.latLngToLayerPoint(at), containerPoint: m.latLngToContainerPoint(at) })
    expect(tapped).not.toBeNull()
    expect(metresBetween(tapped!, KNOWN)).toBeLessThan(1)
  })

  it('refuses to draw shifted tiles before the coordinate module is loaded', async () => {
    vi.resetModules()
    const fresh = await import('./basemap')
    const m = newMap()
    const view = fresh.addBasemap(m, amap)
    expect(view).toMatchObject({ datum: 'wgs84', tiled: false })
    let tiles = 0
    m.eachLayer((layer) => (tiles += layer instanceof L.TileLayer ? 1 : 0))
    expect(tiles).toBe(0)
  })
})
