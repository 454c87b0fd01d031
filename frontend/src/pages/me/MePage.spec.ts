import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { AUTH_STORAGE_KEY, useAuthStore } from '@/stores/auth'
import MePage from './MePage.vue'

const Blank = defineComponent({ template: '<div />' })

describe('MePage', () => {
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
    Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: 360 })
  })

  async function mountMe(role: 'station_chief' | 'grid_leader' = 'station_chief') {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/me', name: 'me', component: MePage },
        { path: '/login', name: 'login', component: Blank },
      ],
    })
    await router.push('/me')
    const pinia = createPinia()
    setActivePinia(pinia)
    const auth = useAuthStore()
    auth.setTokens({ access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 })
    auth.user = {
      id: 2,
      username: 'chief',
      display_name: '王强',
      role,
      scope: { level: 'community', id: 4, name: '和平里社区', code: '110101001001' },
      is_active: true,
      must_change_password: false,
      language: 'zh-CN',
      phone: null,
      phone_public: false,
    }
    const wrapper = mount(MePage, { global: { plugins: [router, pinia, i18n] } })
    await flushPromises()
    return { wrapper, router, auth }
  }

  it('shows the name, the translated role and the scope', async () => {
    const { wrapper } = await mountMe()
    expect(wrapper.find('[data-testid="me-name"]').text()).toBe('王强')
    expect(wrapper.find('[data-testid="me-role"]').text()).toBe('服务站站长')
    expect(wrapper.find('[data-testid="me-scope"]').text()).toContain('和平里社区')
    await wrapper.find('[data-testid="lang-switch"]').trigger('click')
    expect(wrapper.find('[data-testid="me-role"]').text()).toBe('Station chief')
    expect(wrapper.find('[data-testid="logout"]').text()).toBe('Log out')
  })

  it('links 我的本月 for a grid leader only', async () => {
    const leader = (await mountMe('grid_leader')).wrapper
    expect(leader.find('[data-testid="me-my-month"]').text()).toContain('我的本月')
    expect((await mountMe('station_chief')).wrapper.find('[data-testid="me-my-month"]').exists()).toBe(false)
  })

  it('logout revokes the session, clears it and goes to /login', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetchMock)
    const { wrapper, router, auth } = await mountMe()
    await wrapper.find('[data-testid="logout"]').trigger('click')
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/auth/logout', expect.objectContaining({ method: 'POST' }))
    expect(auth.isAuthenticated).toBe(false)
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBeNull()
    expect(router.currentRoute.value.path).toBe('/login')
  })
})
