// The one place that converts coordinates. The server stores and answers WGS 84 (GPS) only; Chinese basemaps and
// navigation apps expect GCJ-02 (AMap/Gaode, Tencent, Tianditu is WGS 84/CGCS2000) or BD-09 (Baidu). Everything
// drawn on a GCJ-02 basemap, every tap read from one and every GPS fix shown on one goes through here, and so does
// every link handed to a navigation app. The arithmetic is gcoord's (a maintained library): outside China it shifts
// nothing, as the datum itself does not apply there.
import gcoord from 'gcoord'

/** The coordinate systems we meet: GPS, China's "Mars" datum and Baidu's. */
export type Datum = 'wgs84' | 'gcj02' | 'bd09'
/** [latitude, longitude], Leaflet's order. */
export type LatLon = [number, number]

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const

/** A point from one datum to another; unchanged when they are the same. */
export function convert([lat, lon]: LatLon, from: Datum, to: Datum): LatLon {
  if (from === to) return [lat, lon]
  const [x, y] = gcoord.transform([lon, lat], CRS[from], CRS[to]) as [number, number]
  return [y, x]
}

/** GPS → what AMap, Tencent and GCJ-02 basemaps show. */
export const wgs84ToGcj02 = (p: LatLon): LatLon => convert(p, 'wgs84', 'gcj02')
/** A tap on a GCJ-02 basemap → what the server stores. */
export const gcj02ToWgs84 = (p: LatLon): LatLon => convert(p, 'gcj02', 'wgs84')
/** GPS → what Baidu Maps expects. */
export const wgs84ToBd09 = (p: LatLon): LatLon => convert(p, 'wgs84', 'bd09')

/** Metres between two points (haversine), for tests and for saying how far a conversion moved a point. */
export function metresBetween([lat1, lon1]: LatLon, [lat2, lon2]: LatLon): number {
  const r = 6371008.8
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 2 * r * Math.asin(Math.sqrt(a))
}
