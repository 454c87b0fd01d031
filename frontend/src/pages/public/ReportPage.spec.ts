import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, loadSection, setLocale } from '@/i18n'
import ResidentPlace from './ResidentPlace.vue'
import ReportPage from './ReportPage.vue'

const Blank = defineComponent({ template: '<div />' })
const categories = [
  { id: 1, code: 'sanitation', name_zh: '环境卫生', name_en: 'Sanitation', icon: 'delete-o', is_emergency: false, public_name_zh: null, public_name_en: null },
  { id: 2, code: 'civil_affairs', name_zh: '民政', name_en: 'Civil affairs', icon: 'friends-o', is_emergency: false, public_name_zh: '困难求助', public_name_en: 'Help in hardship' },
]

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

class NoResizeObserver {
  observe() {}
  disconnect() {}
  unobserve() {}
}

let where: unknown = { grid: { id: 1, code: 'G1', name: 'G1a网格' }, community: { id: 1, name: 'C1社区', duty_phone: null } }

async function mountReport(onSubmit: (init: RequestInit) => Response | Promise<Response>) {
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    if (url.endsWith('/public/categories')) return json(categories)
    if (url.endsWith('/meta')) return json({ app_name: 'w', version: '1', tile_url: '', tile_attribution: '', default_center: [28.1, 113], default_zoom: 14 })
    if (url.endsWith('/public/matters')) return onSubmit(init)
    if (url.includes('/public/locate')) return json(where)
    return json({ status: 404 }, 404)
  })
  vi.stubGlobal('fetch', fetchMock)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/report', component: ReportPage },
      { path: '/:rest(.*)*', component: Blank },
    ],
  })
  await router.push('/report')
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(ReportPage, { global: { plugins: [router, pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, fetchMock }
}

async function fill(wrapper: Awaited<ReturnType<typeof mountReport>>['wrapper'], phone: string, place = true) {
  await wrapper.find('[data-testid="report-category-sanitation"]').trigger('click')
  await wrapper.find('[data-testid="report-description"]').setValue('垃圾堆积')
  await wrapper.find('[data-testid="report-phone"]').setValue(phone)
  if (place) wrapper.findComponent(ResidentPlace).vm.$emit('update:modelValue', { lat: 28.1015, lon: 113.0015 })
  await flushPromises()
}

const submits = (fetchMock: ReturnType<typeof vi.fn>) => fetchMock.mock.calls.filter(([u]) => String(u).endsWith('/public/matters'))

describe('ReportPage', () => {
  beforeEach(async () => {
    await loadSection('resident')
    localStorage.clear()
    where = { grid: { id: 1, code: 'G1', name: 'G1a网格' }, community: { id: 1, name: 'C1社区', duty_phone: null } }
    setLocale('zh-CN')
    vi.stubGlobal('ResizeObserver', NoResizeObserver)
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows the categories as icon buttons', async () => {
    const { wrapper } = await mountReport(() => json({}, 500))
    expect(wrapper.findAll('[data-testid^="report-category-"]').map((b) => b.text())).toEqual(['环境卫生', '困难求助'])
    expect(wrapper.find('[data-testid="report-photo-input"]').attributes()).toMatchObject({ accept: 'image/*', capture: 'environment' })
    wrapper.unmount()
  })

  it('does not send a report with a bad phone number or without a place', async () => {
    const { wrapper, fetchMock } = await mountReport(() => json({}, 500))
    await fill(wrapper, '1381234567', false)
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const error = wrapper.find('[data-testid="report-error"]').text()
    expect(error).toContain('请输入以 1 开头的 11 位手机号')
    expect(error).toContain('请选择问题位置')
    expect(submits(fetchMock)).toHaveLength(0)
    wrapper.unmount()
  })

  it('explains a point outside every grid in words', async () => {
    const { wrapper } = await mountReport(() =>
      json(
        {
          status: 422,
          detail: 'The place you chose is outside the grids we serve; move the pin into the neighbourhood',
          errors: [{ loc: ['body', 'lat'], msg: 'not inside any grid', type: 'value_error' }],
        },
        422,
      ),
    )
    await fill(wrapper, '13812345678')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="report-error"]').text()).toBe('所选位置不在服务网格内，请移动定位')
    wrapper.unmount()
  })

  it('sends the same Idempotency-Key when retrying after a network error, and shows the code', async () => {
    let calls = 0
    const { wrapper, fetchMock } = await mountReport(() => {
      calls += 1
      if (calls === 1) throw new TypeError('Failed to fetch')
      return json({ tracking_code: 'WGX7K2P9', tracking_token: 'sEcReT-t0ken_abc', status: 'submitted', grid: 'G1a', community: 'C1', message: 'ok' }, 201)
    })
    await fill(wrapper, '13812345678')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="report-error"]').text()).toContain('网络连接失败')

    await wrapper.find('form').trigger('submit')
    await flushPromises()
    const sent = submits(fetchMock)
    expect(sent).toHaveLength(2)
    const keys = sent.map(([, init]) => new Headers((init as RequestInit).headers).get('Idempotency-Key'))
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect(JSON.parse(String((sent[1][1] as RequestInit).body))).toEqual({
      category: 'sanitation',
      description: '垃圾堆积',
      lat: 28.1015,
      lon: 113.0015,
      reporter_phone: '13812345678',
      photo_tokens: [],
    })
    expect(wrapper.find('[data-testid="report-code"]').text()).toBe('WGX7K2P9')
    // The receipt carries the tracking link with the secret in its fragment (never sent to a server).
    expect(wrapper.find('[data-testid="report-link"]').text()).toBe(`${window.location.origin}/track/WGX7K2P9#t=sEcReT-t0ken_abc`)
    await wrapper.find('[data-testid="report-follow"]').trigger('click')
    await flushPromises()
    expect(wrapper.vm.$router.currentRoute.value.fullPath).toBe('/track/WGX7K2P9#t=sEcReT-t0ken_abc')
    wrapper.unmount()
  })

  it('says which station to call before sending when the point is outside every grid', async () => {
    where = { grid: null, community: { id: 3, name: 'C3社区', duty_phone: '0731-8888003' } }
    const { wrapper, fetchMock } = await mountReport(() => json({}, 500))
    await fill(wrapper, '13812345678')
    expect(wrapper.find('[data-testid="report-outside"]').text()).toContain('C3社区')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="report-error"]').text()).toBe('此处不在服务网格内。 请致电C3社区服务站： 0731-8888003')
    expect(submits(fetchMock)).toHaveLength(0)
    wrapper.unmount()
  })

  it('keeps the draft across a reload and forgets it once sent', async () => {
    const first = await mountReport(() => json({ tracking_code: 'WGX7K2P9', tracking_token: 'sEcReT-t0ken_abc', status: 'submitted', grid: 'G1a', community: 'C1', message: 'ok' }, 201))
    await fill(first.wrapper, '13812345678')
    first.wrapper.unmount()
    const again = await mountReport(() => json({ tracking_code: 'WGX7K2P9', tracking_token: 'sEcReT-t0ken_abc', status: 'submitted', grid: 'G1a', community: 'C1', message: 'ok' }, 201))
    expect((again.wrapper.find('[data-testid="report-description"]').element as HTMLTextAreaElement).value).toBe('垃圾堆积')
    expect((again.wrapper.find('[data-testid="report-phone"]').element as HTMLInputElement).value).toBe('13812345678')
    expect(again.wrapper.find('[data-testid="report-category-sanitation"]').attributes('aria-checked')).toBe('true')
    await again.wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(submits(again.fetchMock)).toHaveLength(1)
    // The report itself is forgotten; who is reporting stays for the next one.
    expect(JSON.parse(localStorage.getItem('wangge.reportDraft') ?? '{}')).toMatchObject({ category: null, description: '', place: null, phone: '13812345678' })
    expect(JSON.parse(localStorage.getItem('wangge.myReports') ?? '[]')[0]).toMatchObject({ code: 'WGX7K2P9', token: 'sEcReT-t0ken_abc' })
    again.wrapper.unmount()
  })
})
