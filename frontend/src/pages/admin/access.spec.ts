import { describe, expect, it } from 'vitest'
import { mayOpen } from './access'

describe('who opens which administration page', () => {
  it('follows the role, and the scope for the whole system’s settings', () => {
    expect(mayOpen('/admin/users', 'administrator', 'street')).toBe(true)
    expect(mayOpen('/admin/users', 'station_chief', 'community')).toBe(false)
    expect(mayOpen('/admin/tiers', 'station_chief', 'community')).toBe(true)
    expect(mayOpen('/admin', 'grid_leader', 'grid')).toBe(false)
    expect(mayOpen('/admin/keys', 'administrator', 'street')).toBe(false)
    expect(mayOpen('/admin/keys', 'administrator', 'system')).toBe(true)
    expect(mayOpen('/map', 'grid_leader', 'grid')).toBe(true)
    expect(mayOpen('/administrator', undefined, undefined)).toBe(true)
    expect(mayOpen('/admin/checklists', 'street_officer', 'street')).toBe(true)
    expect(mayOpen('/admin/checklists', 'station_chief', 'community')).toBe(false)
  })

  it('opens the grid editor to those the API lets change grids: administrators', () => {
    expect(mayOpen('/admin/grids', 'administrator', 'street')).toBe(true)
    expect(mayOpen('/admin/grids', 'street_officer', 'street')).toBe(false)
    expect(mayOpen('/admin/grids', 'station_chief', 'community')).toBe(false)
  })

  it('opens the assessment schemes to administrators only (the API lets only them write schemes)', () => {
    expect(mayOpen('/admin/schemes', 'administrator', 'district')).toBe(true)
    expect(mayOpen('/admin/schemes', 'street_officer', 'street')).toBe(false)
    expect(mayOpen('/admin/schemes', 'station_chief', 'community')).toBe(false)
  })
})
