import { describe, expect, it } from 'vitest'
import type { GridFeature, GridFeatureCollection, GridProperties } from '@/api/types'
import { boundsOf, communitiesOf } from './gridLayers'
import { communityColour } from './communityColour'

function grid(id: number, community: [number, string, string], geometry: GridFeature['geometry']): GridFeature {
  const properties = { id, code: String(id).padStart(15, '0'), community_id: community[0], community_name: community[1], community_code: community[2] }
  return { type: 'Feature', geometry, properties: properties as GridProperties }
}

const square = (lon: number, lat: number): GridFeature['geometry'] => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]],
})

const collection: GridFeatureCollection = {
  type: 'FeatureCollection',
  features: [
    grid(1, [20, '东风社区', '110101001002'], square(116.4, 39.9)),
    grid(2, [10, '和平社区', '110101001001'], square(116.41, 39.9)),
    grid(3, [20, '东风社区', '110101001002'], {
      type: 'MultiPolygon',
      coordinates: [
        [[[116.38, 39.89], [116.39, 39.89], [116.39, 39.895], [116.38, 39.89]]],
        [[[116.43, 39.93], [116.44, 39.93], [116.44, 39.94], [116.43, 39.93]]],
      ],
    }),
  ],
}

describe('grid layers', () => {
  it('lists each community once, with its colour and number of grids, by code', () => {
    expect(communitiesOf(collection)).toEqual([
      { id: 10, name: '和平社区', code: '110101001001', colour: communityColour(10), gridCount: 1 },
      { id: 20, name: '东风社区', code: '110101001002', colour: communityColour(20), gridCount: 2 },
    ])
  })

  it('bounds cover polygons and multipolygons, in lat/lon order', () => {
    expect(boundsOf(collection)).toEqual([
      [39.89, 116.38],
      [39.94, 116.44],
    ])
    expect(boundsOf({ type: 'FeatureCollection', features: [] })).toBeNull()
  })
})
