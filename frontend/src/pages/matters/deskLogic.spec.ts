import { describe, expect, it } from 'vitest'
import {
  COLUMNS_KEY,
  DEFAULT_HIDDEN,
  emptyFilters,
  emptyIncidentFilters,
  emptyHandoffFilters,
  handoffQuery,
  handoffState,
  incidentQuery,
  loadHidden,
  nextSort,
  OPEN_STATUSES,
  saveHidden,
  sortOf,
  tableQuery,
  toggleColumn,
  visibleColumns,
} from './deskLogic'

function memory(initial: Record<string, string> = {}) {
  const data = { ...initial }
  return {
    data,
    getItem: (k: string) => (k in data ? data[k] : null),
    setItem: (k: string, v: string) => {
      data[k] = v
    },
  }
}

describe('tableQuery', () => {
  it('sends nothing for no filters and the default sort', () => {
    expect(tableQuery('all', emptyFilters(), '-created')).toBe('')
  })

  it('sends each filter as the API names it, statuses of a group repeated', () => {
    const f = { ...emptyFilters(), status: 'open', category: 3, grid: 7, source: 'hotline', overdue: true, from: '2026-11-01', to: '2026-11-30', q: '  WG12 ' }
    const p = new URLSearchParams(tableQuery('unit', f, 'due', { limit: 50, after: 'abc' }))
    expect(p.get('box')).toBe('unit')
    expect(p.getAll('status')).toEqual([...OPEN_STATUSES])
    expect(p.get('category_id')).toBe('3')
    expect(p.get('grid_id')).toBe('7')
    expect(p.has('community_id')).toBe(false)
    expect(p.get('source')).toBe('hotline')
    expect(p.get('overdue')).toBe('true')
    expect([p.get('created_from'), p.get('created_to')]).toEqual(['2026-11-01', '2026-11-30'])
    expect(p.get('q')).toBe('WG12')
    expect(p.get('sort')).toBe('due')
    expect([p.get('limit'), p.get('after')]).toEqual(['50', 'abc'])
  })

  it('sends one status, or the finished ones, and never a search longer than the API takes', () => {
    expect(new URLSearchParams(tableQuery('all', { ...emptyFilters(), status: 'closed' }, '-created')).getAll('status')).toEqual(['closed'])
    expect(new URLSearchParams(tableQuery('all', { ...emptyFilters(), status: 'finished' }, '-created')).getAll('status')).toEqual([
      'verifying', // the handler's part is done: it waits for someone else to verify it (flow.OPEN leaves it out)
      'resolved',
      'closed',
      'merged',
    ])
    expect(new URLSearchParams(tableQuery('all', { ...emptyFilters(), q: 'x'.repeat(150) }, '-created')).get('q')).toHaveLength(100)
  })
})

describe('sorting by a header', () => {
  it('turns the same column around and starts another in its natural direction', () => {
    expect(nextSort('-created', 'created')).toBe('created')
    expect(nextSort('created', 'created')).toBe('-created')
    expect(nextSort('-created', 'due')).toBe('due')
    expect(nextSort('due', 'due')).toBe('-due')
    expect(nextSort('due', 'status')).toBe('status')
    expect(nextSort('status', 'created')).toBe('-created')
  })

  it('says which way a column runs', () => {
    expect(sortOf('-created', 'created')).toBe('desc')
    expect(sortOf('due', 'due')).toBe('asc')
    expect(sortOf('due', 'created')).toBeNull()
  })
})

describe('the column chooser', () => {
  it('starts from the defaults and keeps a choice', () => {
    const store = memory()
    expect(loadHidden(store)).toEqual([...DEFAULT_HIDDEN])
    const hidden = toggleColumn(toggleColumn(loadHidden(store), 'source'), 'address')
    expect(hidden).toContain('source')
    expect(hidden).not.toContain('address')
    saveHidden(store, hidden)
    expect(loadHidden(store)).toEqual(hidden)
    expect(visibleColumns(hidden)).toContain('address')
    expect(visibleColumns(hidden)).not.toContain('source')
  })

  it('never hides the tracking code, and drops what it does not know', () => {
    expect(toggleColumn([], 'tracking_code')).toEqual([])
    expect(loadHidden(memory({ [COLUMNS_KEY]: '["grid","gone","tracking_code"]' }))).toEqual(['grid'])
    expect(loadHidden(memory({ [COLUMNS_KEY]: 'not json' }))).toEqual([...DEFAULT_HIDDEN])
    expect(loadHidden(memory({ [COLUMNS_KEY]: '{"a":1}' }))).toEqual([...DEFAULT_HIDDEN])
    expect(loadHidden(null)).toEqual([...DEFAULT_HIDDEN])
  })
})

describe('incidentQuery', () => {
  it('sends nothing for no filters, and each filter as the API names it', () => {
    expect(incidentQuery(emptyIncidentFilters())).toBe('')
    const f = { status: 'open', type: 'gas', severity: '2', from: '2026-11-01', to: '2026-11-02', q: ' 燃气 ' }
    const p = new URLSearchParams(incidentQuery(f, { limit: 50, after: 'c' }))
    expect([p.get('status'), p.get('incident_type'), p.get('severity')]).toEqual(['open', 'gas', '2'])
    expect([p.get('known_from'), p.get('known_to'), p.get('q')]).toEqual(['2026-11-01', '2026-11-02', '燃气'])
    expect([p.get('limit'), p.get('after')]).toEqual(['50', 'c'])
  })
})

describe('work orders', () => {
  it('sends the direction only when it is not the default, and a code cleaned of what no code holds', () => {
    expect(handoffQuery(emptyHandoffFilters())).toBe('')
    const p = new URLSearchParams(handoffQuery({ direction: 'out', state: 'returned', from: '2026-11-01', to: '', code: ' wg-12% ' }, { limit: 50 }))
    expect([p.get('direction'), p.get('state'), p.get('created_from'), p.get('q'), p.get('limit')]).toEqual(['out', 'returned', '2026-11-01', 'wg12', '50'])
    expect(p.has('created_to')).toBe(false)
  })

  it('reads the state from the dates', () => {
    expect(handoffState({ signed_at: null, returned_at: null })).toBe('pending')
    expect(handoffState({ signed_at: '2026-11-01T00:00:00Z', returned_at: null })).toBe('signed')
    expect(handoffState({ signed_at: null, returned_at: '2026-11-01T00:00:00Z' })).toBe('returned')
  })
})
