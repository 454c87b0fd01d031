import { describe, expect, it } from 'vitest'
import { byHandChoices, noteRequired, rowActions } from './myDayLogic'

describe('my day rows', () => {
  it('offer the matter\'s own actions that the record allows, in a fixed order', () => {
    const allowed = ['contact', 'resolve', 'bring_back', 'declare_emergency', 'handle_on_spot'].map((action) => ({ action }))
    expect(rowActions(allowed)).toEqual(['handle_on_spot', 'resolve', 'bring_back'])
    expect(rowActions(undefined)).toEqual([])
  })

  it('never offer "handled" by hand for a matter, only for a finding', () => {
    expect(byHandChoices('matter')).toEqual(['carried_over'])
    expect(byHandChoices('finding')).toEqual(['handled', 'carried_over'])
  })

  it('ask a note for carried over only, as the server does', () => {
    expect(noteRequired('carried_over')).toBe(true)
    expect(noteRequired('handled')).toBe(false)
  })
})
