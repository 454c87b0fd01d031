import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { defineComponent } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { layoutForWidth } from '@/composables/useViewport'
import AppLayout from './AppLayout.vue'

const Blank = defineComponent({ template: '<div />' })

async function mountAt(width: number, signedIn = false) {
  Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: width })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/map', component: Blank },
      { path: '/matters', component: Blank },
      { path: '/me', component: Blank },
      { path: '/patrol', component: Blank },
    ],
  })
  await router.push('/map')
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = {
    id: 1,
    username: 'leader1',
    display_name: '张丽',
    role: 'grid_leader',
    scope: { level: 'grid', id: 3, name: '一网格', code: '110101001001001' },
    is_active: true,
    must_change_password: false,
    language: 'zh-CN',
    phone: null,
    phone_public: false,
  }
  if (signedIn) useAuthStore().accessToken = 'access-token'
  const wrapper = mount(AppLayout, {
    global: { plugins: [router, pinia, i18n] },
    slots: { default: '<p class="page">page</p>' },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

describe('layout by width', () => {
  const realWidth = window.innerWidth
  beforeEach(() => setLocale('zh-CN'))
  afterEach(() => {
    Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: realWidth })
    document.body.innerHTML = ''
  })

  it('breaks at 768 px', () => {
    expect(layoutForWidth(360)).toBe('phone')
    expect(layoutForWidth(767)).toBe('phone')
    expect(layoutForWidth(768)).toBe('desk')
    expect(layoutForWidth(1440)).toBe('desk')
  })

  it('uses a bottom tab bar with 地图, 巡查, 事项 and 我的 on a grid leader\'s phone', async () => {
    const wrapper = await mountAt(360)
    expect(wrapper.find('[data-testid="tabbar"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="sidenav"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="lang-switch"]').exists()).toBe(false)
    const labels = wrapper.findAll('.van-tabbar-item').map((item) => item.text())
    expect(labels).toEqual(['地图', '巡查', '事项', '我的'])
    expect(wrapper.find('.page').exists()).toBe(true)
    wrapper.unmount()
  })

  it('uses a side navigation and a header with the user and the language switch on a desk', async () => {
    const wrapper = await mountAt(1280)
    expect(wrapper.find('[data-testid="sidenav"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="tabbar"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="header-user"]').text()).toContain('张丽')
    expect(wrapper.find('[data-testid="header-user"]').text()).toContain('网格长')
    expect(wrapper.findAll('[data-testid="sidenav"] a').map((a) => a.text())).toEqual(['地图', '巡查', '事项', '预警', '我的'])
    expect(wrapper.find('[data-testid="nav-map"]').classes()).toContain('sidenav__item--active')

    await wrapper.find('[data-testid="lang-switch"]').trigger('click')
    // The switch waits for the language (and, signed in, saves it to the account) before the page redraws.
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="sidenav"] a').map((a) => a.text())).toEqual(['Map', 'Patrol', 'Matters', 'Warnings', 'Me']))
    expect(wrapper.find('[data-testid="header-user"]').text()).toContain('Grid leader')
    wrapper.unmount()
  })

  it('starts each page at its top: the scrolled <main> is reset when the page changes', async () => {
    const wrapper = await mountAt(360)
    const main = wrapper.find('main.app-main').element as HTMLElement
    main.scrollTop = 240
    expect(main.scrollTop).toBe(240)
    await (wrapper.vm.$router as import('vue-router').Router).push('/matters')
    await flushPromises()
    expect(main.scrollTop).toBe(0)
    wrapper.unmount()
  })

  it('switches layout when the window is resized', async () => {
    const wrapper = await mountAt(1024)
    expect(wrapper.attributes('data-layout')).toBe('desk')
    Object.defineProperty(window, 'innerWidth', { configurable: true, writable: true, value: 400 })
    window.dispatchEvent(new Event('resize'))
    await flushPromises()
    expect(wrapper.attributes('data-layout')).toBe('phone')
    expect(wrapper.find('[data-testid="tabbar"]').exists()).toBe(true)
    wrapper.unmount()
  })
})

describe('navigation by role', () => {
  it('gives the patrol tab to grid staff only, and 管理 to those who keep something', async () => {
    const { navItemsFor, sectionOf } = await import('./navItems')
    expect(navItemsFor('grid_leader').map((i) => i.name)).toEqual(['map', 'patrol', 'matters', 'me'])
    expect(navItemsFor('grid_member').map((i) => i.name)).toContain('patrol')
    expect(navItemsFor('station_chief').map((i) => i.name)).toEqual(['map', 'matters', 'admin', 'me'])
    expect(navItemsFor('administrator').map((i) => i.name)).toEqual(['map', 'matters', 'admin', 'me'])
    expect(navItemsFor('department_officer').map((i) => i.name)).toEqual(['map', 'matters', 'me'])
    expect(navItemsFor(undefined).map((i) => i.name)).toEqual(['map', 'matters', 'me'])
    expect(sectionOf('/password')).toBe('/me')
    expect(sectionOf('/my-day')).toBe('/patrol')
    expect(sectionOf('/supervision')).toBe('/matters')
  })
})

describe('the desk navigation', () => {
  it('reaches 督办, 今日巡查, the duty roster, 工作单, 工作日志, (chiefs) 研判会, 巡查记录 and 走访记录 after 事项 on a desk, for the roles that may read them', async () => {
    const { navItemsFor } = await import('./navItems')
    const names = (role: Parameters<typeof navItemsFor>[0], layout: 'phone' | 'desk') => navItemsFor(role, layout).map((i) => i.name)
    expect(names('station_chief', 'desk')).toEqual([
      'map', 'matters', 'supervision', 'coverage', 'roster', 'handoffs', 'logs', 'triage', 'patrolsTable', 'visitsTable',
      'applications', 'verifications', 'callbacks', 'hotline', 'assessment', 'registry', 'sweeps', 'warnings', 'admin',
      'me',
    ])
    expect(names('street_officer', 'desk')).toEqual([
      'map', 'matters', 'supervision', 'coverage', 'roster', 'handoffs', 'logs', 'patrolsTable', 'visitsTable',
      'applications', 'verifications', 'callbacks', 'hotline', 'assessment', 'bulletins', 'registry', 'sweeps', 'warnings',
      'admin', 'me',
    ])
    // An administrator decides the street's and departments' applications and imports orders; verifying and calling
    // back are the station's and the street's.
    expect(names('administrator', 'desk')).toContain('applications')
    expect(names('administrator', 'desk')).toContain('hotline')
    expect(names('administrator', 'desk')).not.toContain('callbacks')
    expect(names('department_officer', 'desk')).toEqual(['map', 'matters', 'supervision', 'handoffs', 'assessment', 'me'])
    expect(names('administrator', 'desk')).toContain('assessment') // 考核统计 (issue 12), each desk role's own unit
    expect(names('administrator', 'desk')).toContain('bulletins') // 考核通报: the streets' and the district's
    // 预警 for everyone who may read the warnings, grid staff at a desk included (on a phone: the bell and the alert).
    expect(names('grid_leader', 'desk')).toEqual(['map', 'patrol', 'matters', 'warnings', 'me'])
    expect(names('department_officer', 'desk')).not.toContain('warnings')
    // Phones keep their four tabs.
    expect(names('station_chief', 'phone')).toEqual(['map', 'matters', 'admin', 'me'])
  })

  it('marks the entry whose page is open, the longest match first, else its section', async () => {
    const { activeItemName, navItemsFor } = await import('./navItems')
    const desk = navItemsFor('station_chief', 'desk')
    expect(activeItemName(desk, '/supervision')).toBe('supervision')
    expect(activeItemName(desk, '/coverage')).toBe('coverage')
    expect(activeItemName(desk, '/patrols/table')).toBe('patrolsTable')
    expect(activeItemName(desk, '/visits/table')).toBe('visitsTable')
    expect(activeItemName(desk, '/admin/shifts')).toBe('roster')
    expect(activeItemName(desk, '/admin/users')).toBe('admin')
    expect(activeItemName(desk, '/matters/12')).toBe('matters')
    expect(activeItemName(desk, '/matters/applications')).toBe('applications')
    expect(activeItemName(desk, '/matters/hotline')).toBe('hotline')
    expect(activeItemName(desk, '/triage')).toBe('triage')
    expect(activeItemName(desk, '/warnings/7')).toBe('warnings')
    expect(activeItemName(navItemsFor('street_officer', 'desk'), '/assessment/bulletins/3')).toBe('bulletins')
    expect(activeItemName(navItemsFor('street_officer', 'desk'), '/assessment/street/1')).toBe('assessment')
    expect(activeItemName(desk, '/hazards')).toBe('matters')
    expect(activeItemName(navItemsFor('street_officer', 'desk'), '/triage')).toBe('matters')
    const phone = navItemsFor('station_chief', 'phone')
    expect(activeItemName(phone, '/supervision')).toBe('matters')
    expect(activeItemName(phone, '/admin/shifts')).toBe('admin')
    expect(activeItemName(phone, '/matters/callbacks')).toBe('matters')
  })
})

describe('the unread count', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('shows on the 我的 tab of a phone, 99+ above 99, and not on the other tabs', async () => {
    const fetchMock = vi.fn(async (_input: RequestInfo | URL) =>
      new Response(JSON.stringify({ items: [], total: 120 }), { status: 200, headers: { 'Content-Type': 'application/json' } }),
    )
    vi.stubGlobal('fetch', fetchMock)
    const wrapper = await mountAt(375, true)
    expect(fetchMock.mock.calls.some(([url]) => String(url).includes('/notifications?unread_only=true'))).toBe(true)
    expect(wrapper.find('[data-testid="nav-me"] .van-badge').text()).toBe('99+')
    expect(wrapper.find('[data-testid="nav-map"] .van-badge').exists()).toBe(false)
    expect(wrapper.find('[data-testid="emergency-alert"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
