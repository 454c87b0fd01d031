import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { i18n, loadSection, setLocale } from '@/i18n'
import type { Matter } from '@/api/types'
import MatterPage from './MatterPage.vue'

const toast = vi.hoisted(() => vi.fn())
vi.mock('vant', async (importOriginal) => ({ ...(await importOriginal<typeof import('vant')>()), showToast: toast }))

function record(overrides: Partial<Matter> = {}): Matter {
  return {
    id: 7,
    tracking_code: 'WGABC123',
    supporters: 0,
    category: { id: 1, code: 'sanitation', name: '环境卫生' },
    description: '垃圾堆积',
    address: null,
    lat: 28.1,
    lon: 113,
    grid: { id: 3, code: '110', name: 'G1a网格' },
    community: { id: 1, code: '11', name: 'C1社区' },
    source: 'resident',
    status: 'submitted',
    route: null,
    holder: { level: 'grid', name: 'G1a网格' },
    owner: null,
    reporter_name: '李女士',
    reporter_phone: '138****5678',
    result: null,
    outcome: null,
    rating: null,
    rating_comment: null,
    reopen_count: 0,
    merged_into_id: null,
    deadlines: { sign_due_at: '2099-01-01T00:00:00Z', due_at: null, notice_ends_at: null, overdue: false, due_soon: false, contact_overdue: false },
    five_haves: { found_by: '居民 李女士', reported_by: '居民 李女士', responsible: 'G1a网格', resolved_by: null, supervised_by: '王站长' },
    allowed_actions: ['accept', 'bring_back'],
    photos: [],
    version: 1,
    created_at: '2026-03-01T08:00:00Z',
    updated_at: '2026-03-01T08:00:00Z',
    resolved_at: null,
    closed_at: null,
    ...overrides,
    // What each action's body needs comes with the record (the backend's flow table).
    actions: (overrides.allowed_actions ?? ['accept', 'bring_back']).map((action) => ({
      action,
      needs: action === 'resolve' ? ['result'] : [],
    })),
  }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })
}

/** A fake backend: GET of the record answers `current` with its version as ETag; actions go to `onAction`. */
function backend(state: { current: Matter; loop?: unknown }, onAction: (url: string, init: RequestInit) => Response) {
  return vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    if (url.includes('/actions/')) return onAction(url, init)
    if (url.endsWith('/loop') && state.loop) return json(state.loop)
    if (url.endsWith('/timeline')) return json([{ id: 1, at: '2026-03-01T08:00:00Z', actor: 'resident', action: 'create', from_status: null, to_status: 'submitted', data: {} }])
    if (url.endsWith('/handoffs')) return json([])
    if (url.endsWith('/categories')) return json([])
    if (/\/matters\/7$/.test(url)) return json(state.current, 200, { ETag: `"${state.current.version}"` })
    return json({ title: 'Not Found', status: 404 }, 404)
  })
}

async function mountPage() {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/matters/:id', component: MatterPage }] })
  await router.push('/matters/7')
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(MatterPage, { global: { plugins: [router, pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const q = (testid: string) => document.body.querySelector<HTMLElement>(`[data-testid="${testid}"]`)

async function click(testid: string) {
  const el = q(testid)
  if (!el) throw new Error(`no ${testid}`)
  el.click()
  await flushPromises()
}

describe('MatterPage', () => {
  beforeEach(() => setLocale('zh-CN'))
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the record and a button for each allowed action only', async () => {
    const state = { current: record() }
    vi.stubGlobal('fetch', backend(state, () => json({}, 500)))
    const wrapper = await mountPage()
    const status = wrapper.find('[data-testid="matter-status"]')
    expect(status.attributes('data-status')).toBe('submitted')
    expect(status.text()).toBe('待受理')
    const buttons = wrapper.findAll('[data-testid^="action-"]').map((b) => b.attributes('data-testid'))
    expect(buttons).toEqual(['action-accept', 'action-bring_back'])
    expect(wrapper.find('[data-testid="matter-five-haves"]').text()).toContain('有人督查')
    expect(wrapper.find('[data-testid="matter-five-haves"]').text()).toContain('王站长')
    expect(wrapper.find('[data-testid="matter-deadlines"]').text()).toContain('签收时限')
    expect(wrapper.find('[data-testid="matter-timeline"]').text()).toContain('上报')
    expect(wrapper.find('[data-testid="matter-handoffs"]').text()).toContain('暂无工作单')
    wrapper.unmount()
  })

  it('shows no action button when nothing is allowed', async () => {
    const state = { current: record({ status: 'closed', allowed_actions: [] }) }
    vi.stubGlobal('fetch', backend(state, () => json({}, 500)))
    const wrapper = await mountPage()
    expect(wrapper.findAll('[data-testid^="action-"]')).toHaveLength(0)
    expect(wrapper.find('[data-testid="matter-actions"]').text()).toContain('当前无可办理的操作')
    wrapper.unmount()
  })

  it('sends If-Match with the ETag and the needed field, then shows the new state', async () => {
    const state = { current: record({ status: 'accepted', allowed_actions: ['resolve'], version: 3 }) }
    const onAction = vi.fn((_url: string, init: RequestInit) => {
      state.current = record({ status: 'resolved', allowed_actions: [], version: 4, result: '已清理' })
      void init
      return json(state.current, 200, { ETag: '"4"' })
    })
    vi.stubGlobal('fetch', backend(state, onAction))
    const wrapper = await mountPage()

    await click('action-resolve')
    // Without the result nothing is sent.
    await click('action-confirm')
    expect(onAction).not.toHaveBeenCalled()
    expect(q('action-error')?.textContent).toContain('办理结果')

    const text = q('action-text') as HTMLTextAreaElement
    text.value = '已清理'
    text.dispatchEvent(new Event('input'))
    await click('action-confirm')

    expect(onAction).toHaveBeenCalledTimes(1)
    const [url, init] = onAction.mock.calls[0]
    expect(url).toBe('/api/v1/matters/7/actions/resolve')
    expect(new Headers(init.headers).get('If-Match')).toBe('"3"')
    expect(JSON.parse(String(init.body))).toEqual({ result: '已清理' })
    expect(wrapper.find('[data-testid="matter-status"]').attributes('data-status')).toBe('resolved')
    expect(wrapper.find('[data-testid="matter-result"]').text()).toBe('已清理')
    wrapper.unmount()
  })

  it('on 412 says someone else changed it and reloads the record (with its new ETag)', async () => {
    const state = { current: record({ version: 1 }) }
    const onAction = vi.fn((_url: string, init: RequestInit) => {
      const sent = new Headers(init.headers).get('If-Match')
      if (sent !== `"${state.current.version}"`) return json({ title: 'Precondition Failed', status: 412, detail: 'changed' }, 412)
      state.current = record({ status: 'accepted', version: state.current.version + 1, allowed_actions: ['resolve'] })
      return json(state.current, 200, { ETag: `"${state.current.version}"` })
    })
    const fetchMock = backend(state, onAction)
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountPage()

    // Meanwhile someone else brought it back: the page still holds version 1.
    state.current = record({ status: 'at_station', version: 2, allowed_actions: ['accept'] })
    await click('action-accept')
    await click('action-confirm')

    expect(onAction).toHaveBeenCalledTimes(1)
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ message: '事项已被他人更新，已为您刷新' }))
    expect(wrapper.find('[data-testid="matter-status"]').attributes('data-status')).toBe('at_station')
    const gets = fetchMock.mock.calls.filter(([u]) => /\/matters\/7$/.test(String(u)))
    expect(gets).toHaveLength(2)

    // The next try carries the reloaded ETag.
    await click('action-accept')
    await click('action-confirm')
    expect(new Headers(onAction.mock.calls[1][1].headers).get('If-Match')).toBe('"2"')
    expect(wrapper.find('[data-testid="matter-status"]').attributes('data-status')).toBe('accepted')
    wrapper.unmount()
  })

  it('on 409 shows the server detail in the dialog', async () => {
    const state = { current: record() }
    vi.stubGlobal(
      'fetch',
      backend(state, () =>
        json({ title: 'Conflict', status: 409, detail: "'accept' is not allowed while the matter is closed; allowed: none" }, 409),
      ),
    )
    const wrapper = await mountPage()
    await click('action-accept')
    await click('action-confirm')
    expect(q('action-error')?.textContent).toContain("'accept' is not allowed while the matter is closed")
    wrapper.unmount()
  })

  it('applies for an extension with its date, then shows the application awaiting approval', async () => {
    await loadSection('loop') // the router fetches it with /matters/:id
    const state: { current: Matter; loop?: unknown } = {
      current: { ...record({ status: 'accepted', version: 5 }), actions: [{ action: 'apply_extension', needs: ['reason', 'until'] }] },
    }
    const onAction = vi.fn(() => {
      state.current = { ...record({ status: 'accepted', version: 6, allowed_actions: [] }), pending_application: 'extension' }
      state.loop = {
        rules: {},
        order_no: null,
        contact: { due_at: null, first_at: null, on_time: null, records: [] },
        applications: [
          { id: 1, kind: 'extension', reason: '等材料', until: '2026-12-10T15:59:59Z', due_at_before: null, approver_level: 'station',
            applied_by: '网格长', applied_at: '2026-12-01T02:00:00Z', decision: null, decision_note: null, decided_by: null, decided_at: null },
        ],
        verification: { needed: false, close_on: 'rating', verified_at: null, verified_by: null, note: null, photos: [], sent_back: [] },
        callbacks: [],
        mediation: null,
        cooperators: [],
      }
      return json(state.current, 200, { ETag: '"6"' })
    })
    vi.stubGlobal('fetch', backend(state, onAction))
    const wrapper = await mountPage()
    expect(wrapper.find('[data-testid="matter-loop"]').exists()).toBe(false) // nothing around the routes yet

    await click('action-apply_extension')
    expect(q('action-dialog')?.querySelector('h3')?.textContent).toBe('申请延期')
    const reason = q('action-text') as HTMLTextAreaElement
    reason.value = '等待产权材料'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    await click('action-confirm') // without the date: asked for it, nothing sent
    expect(onAction).not.toHaveBeenCalled()
    expect(q('action-error')?.textContent).toContain('延期至')
    const until = q('loop-until') as HTMLInputElement
    until.value = '2026-12-10'
    until.dispatchEvent(new Event('input'))
    await flushPromises()
    await click('action-confirm')

    expect(onAction).toHaveBeenCalledTimes(1)
    const [url, init] = onAction.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/v1/matters/7/actions/apply_extension')
    expect(new Headers(init.headers).get('If-Match')).toBe('"5"')
    expect(JSON.parse(String(init.body))).toEqual({ reason: '等待产权材料', until: '2026-12-10' })
    expect(wrapper.find('[data-testid="loop-banner-pending"]').text()).toBe('延期申请待审批：至 2026-12-10')
    const shown = wrapper.find('[data-testid="loop-application"]')
    expect(shown.attributes('data-decision')).toBe('pending')
    expect(shown.text()).toContain('延期至 2026-12-10')
    expect(shown.text()).toContain('待审批')
    wrapper.unmount()
  })
})
