import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import LoginPage from './LoginPage.vue'

const Blank = defineComponent({ template: '<div />' })
const problem = (status: number, body: object) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } })
const ok = (body: object) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } })

async function mountLogin(query = '') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginPage },
      { path: '/map', component: Blank },
      { path: '/me', component: Blank },
      { path: '/report', component: Blank },
      { path: '/track', component: Blank },
    ],
  })
  await router.push(`/login${query}`)
  const pinia = createPinia()
  setActivePinia(pinia)
  const wrapper = mount(LoginPage, { global: { plugins: [router, pinia, i18n] } })
  return { wrapper, router }
}

async function submit(wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper'], username: string, password: string) {
  await wrapper.find('[data-testid="login-username"]').setValue(username)
  await wrapper.find('[data-testid="login-password"]').setValue(password)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

describe('LoginPage', () => {
  const fetchMock = vi.fn<typeof fetch>()
  beforeEach(() => {
    localStorage.clear()
    setLocale('zh-CN')
    fetchMock.mockReset()
    vi.stubGlobal('fetch', fetchMock)
  })

  it('labels the button 登录, or Log in in English', async () => {
    const { wrapper } = await mountLogin()
    expect(wrapper.find('[data-testid="login-submit"]').text()).toBe('登录')
    await wrapper.find('[data-testid="lang-switch"]').trigger('click')
    expect(wrapper.find('[data-testid="login-submit"]').text()).toBe('Log in')
  })

  it('shows 用户名或密码错误 for wrong credentials, and re-translates it', async () => {
    fetchMock.mockResolvedValueOnce(problem(401, { title: 'Unauthorized', status: 401, detail: 'Incorrect username or password' }))
    const { wrapper, router } = await mountLogin()
    await submit(wrapper, 'leader1', 'wrong')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('用户名或密码错误')
    expect(router.currentRoute.value.path).toBe('/login')
    setLocale('en')
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('Wrong username or password')
  })

  it('says the network failed when the server cannot be reached', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    const { wrapper } = await mountLogin()
    await submit(wrapper, 'leader1', 'secret')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('网络连接失败,请稍后重试')
  })

  it('asks for both fields before calling the server', async () => {
    const { wrapper } = await mountLogin()
    await submit(wrapper, 'leader1', '')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('请填写用户名和密码')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('signs in and goes where the user was going', async () => {
    fetchMock
      .mockResolvedValueOnce(ok({ access_token: 'a1', refresh_token: 'r1', token_type: 'bearer', expires_in: 900 }))
      .mockResolvedValueOnce(
        ok({ id: 1, username: 'leader1', display_name: '张丽', role: 'grid_leader', scope: { level: 'grid', id: 3, name: '一网格', code: null }, is_active: true }),
      )
    const { wrapper, router } = await mountLogin('?redirect=%2Fme')
    await submit(wrapper, ' leader1 ', 'secret')
    expect(String(fetchMock.mock.calls[0][1]?.body)).toContain('username=leader1&password=secret')
    expect(useAuthStore().user?.display_name).toBe('张丽')
    expect(router.currentRoute.value.path).toBe('/me')
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false)
  })
})
