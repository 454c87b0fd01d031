import { describe, expect, it } from 'vitest'
import { boxesFor, defaultBox, queueLinksFor } from './roles'

describe('boxesFor', () => {
  it('gives the 协办 box to department officers only', () => {
    expect(boxesFor('department_officer')).toEqual(['mine', 'unit', 'cooperating', 'all'])
    expect(defaultBox('department_officer')).toBe('unit')
    for (const role of ['grid_leader', 'grid_member', 'station_chief', 'street_officer', 'administrator'] as const) {
      expect(boxesFor(role)).not.toContain('cooperating')
    }
  })
})

describe('queueLinksFor', () => {
  it('links the queues a role works, so a phone reaches them from the inbox', () => {
    expect(queueLinksFor('station_chief').map((i) => i.to)).toEqual(['/matters/applications', '/matters/verifications', '/matters/callbacks'])
    expect(queueLinksFor('administrator').map((i) => i.name)).toEqual(['applications'])
    expect(queueLinksFor('grid_leader')).toEqual([])
    expect(queueLinksFor(undefined)).toEqual([])
  })
})
