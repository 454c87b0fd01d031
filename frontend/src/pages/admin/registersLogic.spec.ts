import { describe, expect, it } from 'vitest'
import { pointFields } from './registersLogic'

describe('a register point', () => {
  it('takes both coordinates or neither', () => {
    expect(pointFields('28.1', '113.0')).toEqual({ lat: 28.1, lon: 113 })
    expect(pointFields('', ' ')).toEqual({ lat: null, lon: null })
    expect(pointFields('28.1', '')).toBeNull()
    expect(pointFields('north', '113')).toBeNull()
    expect(pointFields('91', '113')).toBeNull()
  })
})
