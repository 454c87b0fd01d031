import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import NotificationBell from './NotificationBell.vue'

const Blank = defineComponent({ template: '<div />' })

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

async function mountBell(fetchMock: ReturnType<typeof vi.fn>, signedIn = true) {
  vi.stubGlobal('fetch', fetchMock)
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/me', component: Blank },
      { path: '/matters/:id', component: Blank },
      { path: '/warnings/:id', component: Blank },
    ],
  })
  await router.push('/me')
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore(pinia).accessToken = signedIn ? 'access-token' : null
  const wrapper = mount(NotificationBell, { global: { plugins: [router, pinia, i18n] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

describe('NotificationBell', () => {
  beforeEach(() => setLocale('zh-CN'))
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('shows nothing while the endpoint is missing', async () => {
    const { wrapper } = await mountBell(vi.fn(async () => json({ status: 404, title: 'Not Found' }, 404)))
    expect(wrapper.find('[data-testid="notification-bell"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows the unread count; a tap marks it read and opens the matter', async () => {
    const fetchMock = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
      void _init
      const url = String(input)
      if (url.includes('/read')) return json({ id: 5 })
      return json({
        items: [{ id: 5, topic: 'matter.created', title: '居民诉求 WG1', body: '环境卫生：垃圾', matter_id: 9, created_at: '2026-03-01T08:00:00Z', read_at: null }],
        total: 1,
      })
    })
    const { wrapper, router } = await mountBell(fetchMock)
    expect(String(fetchMock.mock.calls[0][0])).toBe('/api/v1/notifications?unread_only=true&limit=50')
    expect(wrapper.find('[data-testid="notification-bell"]').text()).toContain('1')
    await wrapper.find('[data-testid="notification-bell"]').trigger('click')
    await flushPromises()
    document.body.querySelector<HTMLElement>('[data-testid="notification-item"]')!.click()
    await flushPromises()
    expect(fetchMock.mock.calls.some(([u, init]) => String(u) === '/api/v1/notifications/5/read' && init?.method === "POST")).toBe(true)
    expect(router.currentRoute.value.path).toBe('/matters/9')
    wrapper.unmount()
  })

  it('opens the warning of a warning notification', async () => {
    const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
      if (String(input).includes('/read')) return json({ id: 6 })
      return json({
        items: [{ id: 6, topic: 'warning.issued', title: '黄色预警：高温', body: '注意防暑', matter_id: null, warning_id: 4, warning_level: 'yellow', created_at: '2026-03-01T08:00:00Z', read_at: null }],
        total: 1,
      })
    })
    const { wrapper, router } = await mountBell(fetchMock)
    await wrapper.find('[data-testid="notification-bell"]').trigger('click')
    await flushPromises()
    document.body.querySelector<HTMLElement>('[data-testid="notification-item"]')!.click()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/warnings/4')
    wrapper.unmount()
  })

  it('asks nothing while nobody is signed in (a resident on a public page)', async () => {
    const fetchMock = vi.fn(async () => json({ items: [], total: 0 }))
    const { wrapper } = await mountBell(fetchMock, false)
    expect(fetchMock).not.toHaveBeenCalled()
    wrapper.unmount()
  })
})
