import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import type { GridCoverage } from '@/api/fieldwork'
import CoveragePage from './CoveragePage.vue'

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

const grids = [
  { id: 1, code: '430102001001001', name: 'G1a', community_id: 9, is_active: true },
  { id: 2, code: '430102001001002', name: 'G1b', community_id: 9, is_active: true },
  { id: 3, code: '430102001001003', name: 'G1c', community_id: 9, is_active: false },
]

function cov(gridId: number, over: Partial<GridCoverage> = {}): GridCoverage {
  return {
    grid_id: gridId,
    from: '2026-03-04',
    to: '2026-03-04',
    patrolled: false,
    patrol_count: 0,
    distance_m: 0,
    covered_share: 0,
    buildings_visited: 0,
    buildings_total: 4,
    ...over,
  }
}

const calls: string[] = []

function backend() {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input)
    calls.push(url)
    if (url.includes('/fieldwork/unpatrolled')) {
      const day = new URL(url, 'http://x').searchParams.get('day')
      return json({ day, grids: [{ id: 2, code: grids[1].code, name: 'G1b' }] })
    }
    if (/\/grids\?/.test(url)) return json({ items: grids, total: 3, limit: 1000, offset: 0 })
    if (url.includes('/grids/1/coverage')) return json(cov(1, { patrolled: true, patrol_count: 2, distance_m: 2345.6, covered_share: 0.423, buildings_visited: 3 }))
    if (url.includes('/grids/2/coverage')) return json(cov(2))
    return json({ title: 'Not Found', status: 404 }, 404)
  })
}

async function mountPage() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/coverage', component: CoveragePage }] })
  await router.push('/coverage')
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(CoveragePage, { global: { plugins: [router, pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

describe('CoveragePage', () => {
  beforeEach(() => {
    calls.length = 0
    setLocale('zh-CN')
    vi.stubGlobal('fetch', backend())
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('lists the unpatrolled grids in red, then every active grid with its coverage', async () => {
    const wrapper = await mountPage()
    const unpatrolled = wrapper.findAll('[data-testid="coverage-unpatrolled"]')
    expect(unpatrolled.map((r) => r.attributes('data-grid-code'))).toEqual([grids[1].code])

    const rows = wrapper.findAll('[data-testid="coverage-row"]')
    // The inactive grid is left out; the unpatrolled grid comes first.
    expect(rows.map((r) => r.attributes('data-grid-code'))).toEqual([grids[1].code, grids[0].code])
    expect(rows.map((r) => r.attributes('data-patrolled'))).toEqual(['false', 'true'])
    expect(rows[0].text()).toContain('未巡查')
    expect(rows[0].text()).toContain('0 米')
    expect(rows[0].text()).toContain('0/4')
    expect(rows[1].text()).toContain('已巡查')
    expect(rows[1].find('[data-testid="coverage-distance"]').text()).toBe('2.35 公里')
    expect(rows[1].find('[data-testid="coverage-share"]').text()).toBe('42%')
    expect(rows[1].find('[data-testid="coverage-buildings"]').text()).toBe('3/4')
    expect(rows[1].find<HTMLElement>('.cov__fill').element.style.width).toBe('42.3%')
    expect(calls.some((u) => u.includes('/api/v1/grids?limit=1000'))).toBe(true)
    expect(calls.filter((u) => u.includes('/coverage?day='))).toHaveLength(2)
    wrapper.unmount()
  })

  it('asks for the week from its Monday when the week is chosen', async () => {
    const wrapper = await mountPage()
    const input = wrapper.find<HTMLInputElement>('[data-testid="coverage-day"]')
    await input.setValue('2026-03-04') // typed into the date field (components/DateField.vue)
    await flushPromises()
    expect(calls.some((u) => u.includes('/grids/1/coverage?day=2026-03-04'))).toBe(true)
    expect(calls.some((u) => u.includes('/fieldwork/unpatrolled?day=2026-03-04'))).toBe(true)

    await wrapper.find('[data-testid="coverage-mode-week"]').trigger('click')
    await flushPromises()
    expect(calls.some((u) => u.includes('/grids/1/coverage?week=2026-03-02'))).toBe(true)
    expect(calls.some((u) => u.includes('/grids/2/coverage?week=2026-03-02'))).toBe(true)
    expect(wrapper.find('[data-testid="coverage-period"]').text()).toBe('2026-03-02 至 2026-03-08')
    wrapper.unmount()
  })

  it('speaks English', async () => {
    setLocale('en')
    const wrapper = await mountPage()
    expect(wrapper.find('[data-testid="coverage-row"]').text()).toContain('Not patrolled')
    expect(wrapper.text()).toMatch(/Not patrolled on \d{4}-\d{2}-\d{2}: 1/)
    wrapper.unmount()
    setLocale('zh-CN')
  })
})
