import { describe, expect, it } from 'vitest'
import { metresBetween, wgs84ToBd09, wgs84ToGcj02, type LatLon } from '@/map/coords'
import { navLinks, pointOfLink } from './navLinks'

// A point in Changsha (the demo world) and one outside China, where no datum applies.
const CHANGSHA: LatLon = [28.1015, 113.0255]
const PARIS: LatLon = [48.8584, 2.2945]

function byApp(point: LatLon, name = '路灯不亮', address?: string) {
  return Object.fromEntries(navLinks(point, name, address).map((l) => [l.app, l]))
}

describe('navigation links', () => {
  it('carry the point converted by the coordinate module, in each app\'s datum and order', () => {
    const links = byApp(CHANGSHA)
    const gcj = wgs84ToGcj02(CHANGSHA)
    const bd = wgs84ToBd09(CHANGSHA)
    const amap = new URL(links.amap.url)
    expect(amap.origin + amap.pathname).toBe('https://uri.amap.com/marker')
    expect(amap.searchParams.get('position')).toBe(`${gcj[1].toFixed(6)},${gcj[0].toFixed(6)}`) // lon,lat
    expect(amap.searchParams.get('coordinate')).toBe('gaode')
    expect(amap.searchParams.get('callnative')).toBe('1')
    const baidu = new URL(links.baidu.url)
    expect(baidu.origin + baidu.pathname).toBe('https://api.map.baidu.com/marker')
    expect(baidu.searchParams.get('location')).toBe(`${bd[0].toFixed(6)},${bd[1].toFixed(6)}`) // lat,lon
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll')
    expect(baidu.searchParams.get('output')).toBe('html')
    const tencent = new URL(links.tencent.url)
    expect(tencent.origin + tencent.pathname).toBe('https://apis.map.qq.com/uri/v1/marker')
    expect(tencent.searchParams.get('marker')).toMatch(new RegExp(`^coord:${gcj[0].toFixed(6)},${gcj[1].toFixed(6)};title:`))
    expect(tencent.searchParams.get('referer')).toBe('wangge')
    for (const app of ['amap', 'baidu', 'tencent'] as const) {
      expect(metresBetween(pointOfLink(links[app])!, links[app].point)).toBeLessThan(0.2)
    }
  })

  it('moves the point by the shift of China\'s datums (hundreds of metres), and not at all outside China', () => {
    const links = byApp(CHANGSHA)
    const gcjShift = metresBetween(CHANGSHA, links.amap.point)
    expect(gcjShift).toBeGreaterThan(100)
    expect(gcjShift).toBeLessThan(1000)
    expect(metresBetween(CHANGSHA, links.baidu.point)).toBeGreaterThan(gcjShift) // BD-09 shifts again from GCJ-02
    const abroad = byApp(PARIS)
    expect(metresBetween(PARIS, abroad.amap.point)).toBeLessThan(0.2)
    expect(metresBetween(PARIS, abroad.tencent.point)).toBeLessThan(0.2)
  })

  it('encodes names and keeps Tencent\'s separators out of them', () => {
    const links = byApp(CHANGSHA, '3栋 & 4栋 井盖#松动?', '东门;西侧:路口|旁')
    const amap = new URL(links.amap.url)
    expect(links.amap.url).not.toContain('#')
    expect(links.amap.url).not.toContain(' & ')
    expect(amap.searchParams.get('name')).toBe('3栋 & 4栋 井盖#松动?')
    const baidu = new URL(links.baidu.url).searchParams
    expect([baidu.get('title'), baidu.get('content')]).toEqual(['3栋 & 4栋 井盖#松动?', '东门;西侧:路口|旁'])
    const marker = new URL(links.tencent.url).searchParams.get('marker')!
    expect(marker.endsWith(';title:3栋 & 4栋 井盖#松动?;addr:东门 西侧 路口 旁')).toBe(true)
    expect(marker.split(';')).toHaveLength(3)
  })

  it('falls back to the address, then the app name, for an empty title', () => {
    expect(new URL(byApp(CHANGSHA, '  ', '人民路1号').amap.url).searchParams.get('name')).toBe('人民路1号')
    expect(new URL(byApp(CHANGSHA, '').baidu.url).searchParams.get('title')).toBe('wangge')
  })
})
