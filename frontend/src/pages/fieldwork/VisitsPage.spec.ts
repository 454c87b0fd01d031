import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n, setLocale } from '@/i18n'
import type { OverdueVisit } from '@/api/fieldwork'
import VisitsPage from './VisitsPage.vue'

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

const group = { id: 1, code: 'elderly_alone', name_zh: '独居老人', name_en: 'Elderly living alone', visit_every_days: 7, is_active: true }

function overdue(id: number, name: string, over: Partial<OverdueVisit> = {}): OverdueVisit {
  return {
    resident: {
      id,
      grid_id: 3,
      group,
      building_id: null,
      name,
      phone: '139****0011',
      id_number: null,
      address: '1栋101',
      visit_every_days: null,
      required_every_days: 7,
      note: null,
      is_active: true,
      last_visited_at: null,
      created_at: '2026-03-01T08:00:00Z',
    },
    grid: { id: 3, code: '430102001001001', name: 'G1a网格' },
    never_visited: true,
    days_since_visit: null,
    days_overdue: null,
    ...over,
  }
}

let list: OverdueVisit[] = []
const posts: { url: string; body: Record<string, unknown> }[] = []

function backend() {
  return vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    if (url.endsWith('/fieldwork/visits/overdue')) return json(list)
    const m = url.match(/\/special-residents\/(\d+)\/visits$/)
    if (m && init.method === 'POST') {
      const body = JSON.parse(String(init.body))
      posts.push({ url, body })
      list = list.filter((o) => o.resident.id !== Number(m[1]))
      return json(
        {
          id: 50,
          resident_id: Number(m[1]),
          visited_at: body.visited_at,
          visitors: [{ id: 1, name: '张丽' }, { id: 2, name: '王强' }],
          notes: body.notes,
          created_by: { id: 1, name: '张丽' },
          created_at: body.visited_at,
        },
        201,
      )
    }
    return json({ title: 'Not Found', status: 404 }, 404)
  })
}

async function mountPage() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/visits', component: VisitsPage }] })
  await router.push('/visits')
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(VisitsPage, { global: { plugins: [router, pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const q = <T extends HTMLElement = HTMLElement>(testid: string) => document.body.querySelector<T>(`[data-testid="${testid}"]`)

describe('VisitsPage', () => {
  beforeEach(() => {
    setLocale('zh-CN')
    posts.length = 0
    list = [
      overdue(11, '李奶奶'),
      overdue(12, '张爷爷', { never_visited: false, days_since_visit: 12, days_overdue: 5 }),
    ]
    vi.stubGlobal('fetch', backend())
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('renders the overdue residents as the API gives them', async () => {
    const wrapper = await mountPage()
    const rows = wrapper.findAll('[data-testid="visit-overdue"]')
    expect(rows.map((r) => r.attributes('data-id'))).toEqual(['11', '12'])
    expect(rows[0].text()).toContain('李奶奶')
    expect(rows[0].text()).toContain('从未走访')
    expect(rows[0].text()).toContain('独居老人')
    expect(rows[0].text()).toContain('1栋101')
    expect(rows[0].text()).toContain('139****0011')
    expect(rows[1].text()).toContain('超期 5 天')
    wrapper.unmount()
  })

  it('records a visit with notes and the time, shows the visitors and drops the resident', async () => {
    const wrapper = await mountPage()
    await wrapper.find('[data-testid="visit-overdue"][data-id="11"]').trigger('click')
    await flushPromises()
    const time = q<HTMLInputElement>('visit-time')!
    expect(time.value).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) // now, by default (a space between day and time)
    time.value = '2026-03-01T09:30'
    time.dispatchEvent(new Event('input'))
    const notes = q<HTMLTextAreaElement>('visit-notes')!
    notes.value = '身体状况良好'
    notes.dispatchEvent(new Event('input'))
    q('visit-submit')!.click()
    await flushPromises()

    expect(posts).toHaveLength(1)
    expect(posts[0].url).toContain('/api/v1/special-residents/11/visits')
    expect(posts[0].body).toEqual({ visited_at: new Date(2026, 2, 1, 9, 30).toISOString(), notes: '身体状况良好' })
    expect(q('visit-visitors')!.textContent).toContain('张丽、王强')
    expect(wrapper.findAll('[data-testid="visit-overdue"]').map((r) => r.attributes('data-id'))).toEqual(['12'])
    wrapper.unmount()
  })

  it('refuses a visit in the future without asking the server', async () => {
    const wrapper = await mountPage()
    await wrapper.find('[data-testid="visit-overdue"]').trigger('click')
    await flushPromises()
    const time = q<HTMLInputElement>('visit-time')!
    time.value = '2099-01-01T09:00'
    time.dispatchEvent(new Event('input'))
    q('visit-submit')!.click()
    await flushPromises()
    expect(posts).toHaveLength(0)
    expect(q('visit-error')!.textContent).toBe('走访时间不能晚于现在')
    wrapper.unmount()
  })

  it('says so when nobody is overdue', async () => {
    list = []
    const wrapper = await mountPage()
    expect(wrapper.find('[data-testid="visits-empty"]').text()).toBe('没有超期未走访的对象')
    wrapper.unmount()
  })
})
