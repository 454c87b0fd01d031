import { describe, expect, it } from 'vitest'
import { boxesFor, defaultBox } from './roles'

describe('boxesFor', () => {
  it('gives the 协办 box to department officers only', () => {
    expect(boxesFor('department_officer')).toEqual(['mine', 'unit', 'cooperating', 'all'])
    expect(defaultBox('department_officer')).toBe('unit')
    for (const role of ['grid_leader', 'grid_member', 'station_chief', 'street_officer', 'administrator'] as const) {
      expect(boxesFor(role)).not.toContain('cooperating')
    }
  })
})
