import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, loadSection, setLocale } from '@/i18n'
import TrackPage from './TrackPage.vue'

const Blank = defineComponent({ template: '<div />' })

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

const resolved = {
  tracking_code: 'WGX7K2P9',
  category: { id: 1, code: 'sanitation', name: '环境卫生' },
  description: '垃圾堆积',
  address: null,
  status: 'resolved',
  created_at: '2026-11-30T08:00:00Z',
  resolved_at: '2026-11-30T09:00:00Z',
  result: '已清理',
  rating: null,
  can_rate: true,
  can_object: false,
  notice_ends_at: null,
  photos: [],
  steps: [{ at: '2026-11-30T08:00:00Z', action: 'create', status: 'submitted' }],
}

type Handler = (url: URL, init: RequestInit) => Response

async function mountTrack(path: string, onMatter: Handler) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost')
    if (url.pathname.endsWith('/categories')) return json([])
    if (url.pathname.includes('/public/matters/')) return onMatter(url, init)
    return json({ status: 404 }, 404)
  })
  vi.stubGlobal('fetch', fetchMock)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/track/:code?', component: TrackPage },
      { path: '/:rest(.*)*', component: Blank },
    ],
  })
  await router.push(path)
  setActivePinia(createPinia())
  const wrapper = mount(TrackPage, { global: { plugins: [router, i18n] }, attachTo: document.body })
  await flushPromises()
  const matterCalls = () => fetchMock.mock.calls.filter(([u]) => String(u).includes('/public/matters/'))
  return { wrapper, matterCalls }
}

const header = (init: unknown, name: string) => new Headers((init as RequestInit).headers).get(name)

describe('TrackPage', () => {
  beforeEach(() => setLocale('zh-CN'))
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('opens a tracking link with the token from the fragment, sent in a header, and rates with it', async () => {
    const { wrapper, matterCalls } = await mountTrack('/track/WGX7K2P9#t=sEcReT-t0ken_abc', (_url, init) =>
      init.method === 'POST' ? json({ ...resolved, status: 'closed', rating: 'satisfied', can_rate: false }) : json(resolved),
    )
    expect(wrapper.find('[data-testid="track-result"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="track-by-link"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="track-phone"]').exists()).toBe(false)
    const [url, init] = matterCalls()[0]
    expect(String(url)).not.toContain('sEcReT') // never in the URL, where access logs would keep it
    expect(header(init, 'X-Tracking-Token')).toBe('sEcReT-t0ken_abc')

    await wrapper.find('[data-testid="rate-satisfied"]').trigger('click')
    await wrapper.find('[data-testid="rate-submit"]').trigger('click')
    await flushPromises()
    const [, rateInit] = matterCalls()[1]
    expect(JSON.parse(String((rateInit as RequestInit).body))).toEqual({ token: 'sEcReT-t0ken_abc', rating: 'satisfied' })
    expect(wrapper.find('[data-testid="track-rating"]').text()).toBe(i18n.global.t('matters.ratings.satisfied'))
    wrapper.unmount()
  })

  it('falls back to the phone digits when the link is not valid', async () => {
    const { wrapper, matterCalls } = await mountTrack('/track/WGX7K2P9#t=wrong', (url) =>
      url.searchParams.get('phone_last4') === '5678' ? json(resolved) : json({ status: 404, title: 'Not Found', type: 'x' }, 404),
    )
    expect(wrapper.find('[data-testid="track-error"]').text()).toBe('查询链接无效，请输入手机号后四位查询')
    await wrapper.find('[data-testid="track-phone"]').setValue('5678')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="track-result"]').exists()).toBe(true)
    const [url, init] = matterCalls()[1]
    expect(new URL(String(url), 'http://localhost').searchParams.get('phone_last4')).toBe('5678')
    expect(header(init, 'X-Tracking-Token')).toBeNull()
    wrapper.unmount()
  })

  it('says when there were too many attempts', async () => {
    const { wrapper } = await mountTrack('/track/WGX7K2P9', () =>
      json({ status: 429, title: 'Too Many Requests', type: 'https://wangge.dev/problems/too-many-attempts', detail: 'later' }, 429),
    )
    await wrapper.find('[data-testid="track-phone"]').setValue('0000')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="track-error"]').text()).toBe('尝试次数过多，请稍后再试')
    wrapper.unmount()
  })

  it("words the steps around the routes for the resident: contacted, the deadline's new date, awaiting verification, a callback", async () => {
    await loadSection('loop') // the router fetches it with /track
    const verifying = {
      ...resolved,
      status: 'verifying',
      can_rate: false,
      rating: null,
      steps: [
        { at: '2026-11-30T08:00:00Z', action: 'create', status: 'submitted' },
        { at: '2026-11-30T08:30:00Z', action: 'contact', status: 'accepted' },
        { at: '2026-12-01T02:00:00Z', action: 'approve_application', status: 'accepted', kind: 'extension', until: '2026-12-10T15:59:59Z' },
        { at: '2026-12-02T02:00:00Z', action: 'resolve', status: 'verifying' },
      ],
    }
    const { wrapper } = await mountTrack('/track/WGX7K2P9#t=tok', () => json(verifying))
    expect(wrapper.find('[data-testid="track-status"]').text()).toBe('办理完成，待核查')
    const steps = wrapper.findAll('[data-testid="track-steps"] li').map((li) => [li.attributes('data-action'), li.text()])
    expect(steps[0]).toEqual(['resolve', expect.stringContaining('办理完成，待核查')])
    expect(steps[1]).toEqual(['approve_application', expect.stringContaining('办理期限已延长至 2026-12-10')])
    expect(steps[2]).toEqual(['contact', expect.stringContaining('已联系您')])
    wrapper.unmount()

    const called = { ...resolved, status: 'closed', can_rate: false, rating: 'basically_satisfied', rating_source: 'callback' }
    const again = await mountTrack('/track/WGX7K2P9#t=tok', () => json({ ...called, steps: [...called.steps, { at: '2026-12-05T02:00:00Z', action: 'callback', status: 'closed' }] }))
    expect(again.wrapper.find('[data-testid="track-rating"]').text()).toBe('基本满意（电话回访）')
    expect(again.wrapper.find('[data-testid="track-steps"] li').text()).toContain('电话回访')
    again.wrapper.unmount()
  })
})
