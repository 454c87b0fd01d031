import { describe, expect, it } from 'vitest'
import { communityColour } from './communityColour'

function rgb(hex: string) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
}

function distance(a: string, b: string) {
  const [x, y] = [rgb(a), rgb(b)]
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2])
}

describe('communityColour', () => {
  it('is a #rrggbb colour and the same for the same id', () => {
    expect(communityColour(7)).toMatch(/^#[0-9a-f]{6}$/)
    expect(communityColour(7)).toBe(communityColour(7))
    expect(communityColour(123456)).toBe(communityColour(123456))
  })

  it('gives different ids different colours', () => {
    const colours = Array.from({ length: 200 }, (_, i) => communityColour(i + 1))
    expect(new Set(colours).size).toBe(200)
  })

  it('makes neighbouring ids clearly distinct', () => {
    for (let id = 1; id < 100; id++) {
      expect(distance(communityColour(id), communityColour(id + 1)), `ids ${id} and ${id + 1}`).toBeGreaterThan(60)
    }
  })

  it('is not too light to see on a pale map', () => {
    for (let id = 1; id <= 50; id++) {
      const [r, g, b] = rgb(communityColour(id))
      expect(0.299 * r + 0.587 * g + 0.114 * b, `id ${id}`).toBeLessThan(200)
    }
  })
})
