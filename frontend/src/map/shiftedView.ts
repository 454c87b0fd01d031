// The view of a basemap drawn in another datum than the data's WGS 84 (GCJ-02): every point shifted on its way to
// the map and back. Loaded by basemap.ts only for such a basemap, with the coordinate module it needs.
import L from '@/pages/grids/leaflet'
import type { MapView } from './basemap'
import { convert, type Datum, type LatLon } from './coords'

export function shiftedView(datum: Datum, tiled: boolean): MapView {
  const toView = (p: LatLon) => convert(p, 'wgs84', datum)
  return {
    datum,
    tiled,
    toView,
    fromView: (p) => convert(p, datum, 'wgs84'),
    geoJsonOptions: () => ({ coordsToLatLng: (c) => L.latLng(toView([c[1], c[0]])) }),
  }
}
