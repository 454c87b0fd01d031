import { describe, expect, it } from 'vitest'
import { convert, gcj02ToWgs84, metresBetween, wgs84ToBd09, wgs84ToGcj02, type LatLon } from './coords'

// Published pairs (WGS 84 → GCJ-02) from the test suite of eviltransform (github.com/googollee/eviltransform), the
// reference implementation most Chinese-map libraries are checked against: Shanghai, Shenzhen, Beijing.
const PUBLISHED: Array<[LatLon, LatLon]> = [
  [[31.1774276, 121.5272106], [31.17530398364597, 121.531541859215]],
  [[22.543847, 113.912316], [22.540796131694766, 113.9171764808363]],
  [[39.911954, 116.377817], [39.91334545536069, 116.38404722455657]],
]

describe('coordinate conversion', () => {
  it('matches the published WGS 84 → GCJ-02 pairs', () => {
    for (const [wgs, gcj] of PUBLISHED) expect(metresBetween(wgs84ToGcj02(wgs), gcj)).toBeLessThan(0.01)
  })

  it('comes back within a metre from GCJ-02 inside China', () => {
    for (const [wgs, gcj] of PUBLISHED) expect(metresBetween(gcj02ToWgs84(gcj), wgs)).toBeLessThan(1)
    // Changsha (the demo's city), Urumqi, Harbin, Sanya: the round trip everywhere in the country.
    for (const p of [[28.1105, 113.0215], [43.825, 87.617], [45.803, 126.535], [18.253, 109.512]] as LatLon[]) {
      const shifted = wgs84ToGcj02(p)
      expect(metresBetween(shifted, p)).toBeGreaterThan(50) // the shift is real (hundreds of metres) …
      expect(metresBetween(gcj02ToWgs84(shifted), p)).toBeLessThan(1) // … and undone within a metre
    }
  })

  it('shifts nothing outside China', () => {
    for (const p of [[48.8566, 2.3522], [40.7128, -74.006], [-33.8688, 151.2093]] as LatLon[]) {
      expect(wgs84ToGcj02(p)).toEqual(p)
      expect(gcj02ToWgs84(p)).toEqual(p)
    }
  })

  it('gives Baidu BD-09 about 1 km north-east of GCJ-02 and converts back', () => {
    const p: LatLon = [39.911954, 116.377817]
    const bd = wgs84ToBd09(p)
    const gcj = wgs84ToGcj02(p)
    expect(bd[0] - gcj[0]).toBeGreaterThan(0.004)
    expect(bd[1] - gcj[1]).toBeGreaterThan(0.005)
    expect(metresBetween(convert(bd, 'bd09', 'wgs84'), p)).toBeLessThan(1)
  })

  it('leaves a point alone when the datums are the same', () => {
    expect(convert([28.1, 113], 'gcj02', 'gcj02')).toEqual([28.1, 113])
  })
})
