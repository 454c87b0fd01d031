import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { List } from 'vant'
import { i18n, setLocale } from '@/i18n'
import SupervisionPage from './SupervisionPage.vue'

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

function row(id: number, overdue: boolean) {
  return {
    id,
    tracking_code: `WG-${id}`,
    category: { id: 1, code: 'sanitation', name: '环境卫生' },
    status: 'accepted',
    holder: { level: 'grid', name: '一网格' },
    owner: '李网格员',
    since: '2026-12-01T02:00:00Z',
    sign_due_at: null,
    due_at: '2026-12-01T08:00:00Z',
    notice_ends_at: null,
    overdue,
    due_soon: !overdue,
    contact_due_at: null,
    contact_overdue: false,
  }
}

const asked: string[] = []

function backend() {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://x')
    if (url.pathname.endsWith('/matters/supervision')) {
      asked.push(url.search)
      const offset = Number(url.searchParams.get('offset'))
      const pages: Record<number, unknown> = {
        0: { items: [row(1, true), row(2, true)], limit: 50, offset: 0, next_offset: 2 },
        2: { items: [row(3, false)], limit: 50, offset: 2, next_offset: null },
      }
      return json(pages[offset])
    }
    if (url.pathname.endsWith('/categories')) return json([])
    return json({ title: 'Not Found', status: 404, code: 'not-found' }, 404)
  })
}

describe('SupervisionPage', () => {
  beforeEach(() => {
    setLocale('zh-CN')
    asked.length = 0
    vi.stubGlobal('fetch', backend())
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows the most urgent page first and the next one when scrolled to its end', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)', component: SupervisionPage }] })
    setActivePinia(createPinia())
    const wrapper = mount(SupervisionPage, { global: { plugins: [router, createPinia(), i18n] } })
    await flushPromises()
    let shown = wrapper.findAll('[data-testid="supervision-item"]')
    expect(shown.map((w) => w.attributes('data-id'))).toEqual(['1', '2'])
    expect(shown[0].classes()).toContain('sup__item--overdue')
    expect(asked).toEqual(['?offset=0&limit=50'])
    expect(wrapper.text()).not.toContain('没有更多了')
    // Vant's List asks for more when its end comes into view.
    wrapper.findComponent(List).vm.$emit('load')
    await flushPromises()
    shown = wrapper.findAll('[data-testid="supervision-item"]')
    expect(shown.map((w) => w.attributes('data-id'))).toEqual(['1', '2', '3'])
    expect(shown[2].classes()).not.toContain('sup__item--overdue')
    expect(asked).toEqual(['?offset=0&limit=50', '?offset=2&limit=50'])
    expect(wrapper.text()).toContain('没有更多了')
    // Nothing further is asked once the last page has come.
    wrapper.findComponent(List).vm.$emit('load')
    await flushPromises()
    expect(asked).toHaveLength(2)
    wrapper.unmount()
  })
})
