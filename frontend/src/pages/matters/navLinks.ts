// Links that open a matter's place in the navigation apps people have on their phones, each in the coordinates that
// app expects: AMap 高德 and Tencent 腾讯 GCJ-02, Baidu 百度 BD-09. The server's WGS 84 point is converted by the
// one coordinate module (src/map/coords.ts), never here. URL schemes as the vendors publish them:
//   AMap    https://uri.amap.com/marker?position=<lon>,<lat>&name=…&coordinate=gaode&callnative=1   (lbs.amap.com URI API)
//   Baidu   https://api.map.baidu.com/marker?location=<lat>,<lon>&title=…&content=…&output=html&coord_type=bd09ll&src=…
//   Tencent https://apis.map.qq.com/uri/v1/marker?marker=coord:<lat>,<lon>;title:…;addr:…&referer=…  (GCJ-02 default)
import { wgs84ToBd09, wgs84ToGcj02, type LatLon } from '@/map/coords'

export type NavApp = 'amap' | 'baidu' | 'tencent'

export interface NavLink {
  app: NavApp
  url: string
  /** The point as the link carries it, [lat, lon] in the app's own datum. */
  point: LatLon
}

/** Who is calling, as Baidu (webapp.company.app) and Tencent (referer) ask to be told. */
const SOURCE = 'wangge'

/** Six decimals: about 10 cm, what the apps read. */
const fixed = (x: number) => x.toFixed(6)

/** Tencent's marker packs its attributes as key:value;key:value, so a name may not carry those separators. */
function markerText(text: string): string {
  return text.replace(/[;:|]/g, ' ').replace(/\s+/g, ' ').trim()
}

/** The three links for a WGS 84 point; `name` titles the marker, `address` (optional) says where it is. */
export function navLinks(point: LatLon, name: string, address?: string | null): NavLink[] {
  const gcj = wgs84ToGcj02(point)
  const bd = wgs84ToBd09(point)
  const title = name.trim() || address?.trim() || SOURCE
  const where = address?.trim() || title
  const amap = new URLSearchParams({
    position: `${fixed(gcj[1])},${fixed(gcj[0])}`,
    name: title,
    src: SOURCE,
    coordinate: 'gaode',
    callnative: '1',
  })
  const baidu = new URLSearchParams({
    location: `${fixed(bd[0])},${fixed(bd[1])}`,
    title,
    content: where,
    output: 'html',
    coord_type: 'bd09ll',
    src: `webapp.${SOURCE}.${SOURCE}`,
  })
  const tencent = new URLSearchParams({
    marker: `coord:${fixed(gcj[0])},${fixed(gcj[1])};title:${markerText(title)};addr:${markerText(where)}`,
    referer: SOURCE,
  })
  return [
    { app: 'amap', url: `https://uri.amap.com/marker?${amap}`, point: gcj },
    { app: 'baidu', url: `https://api.map.baidu.com/marker?${baidu}`, point: bd },
    { app: 'tencent', url: `https://apis.map.qq.com/uri/v1/marker?${tencent}`, point: gcj },
  ]
}

/** The [lat, lon] a link carries, read back from its URL (for tests and for showing what will be opened). */
export function pointOfLink(link: Pick<NavLink, 'app' | 'url'>): LatLon | null {
  const query = new URL(link.url).searchParams
  let pair: string | null = null
  let lonFirst = false
  if (link.app === 'amap') {
    pair = query.get('position')
    lonFirst = true
  } else if (link.app === 'baidu') pair = query.get('location')
  else pair = /coord:([^;]+)/.exec(query.get('marker') ?? '')?.[1] ?? null
  const [a, b] = (pair ?? '').split(',').map(Number)
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null
  return lonFirst ? [b, a] : [a, b]
}
