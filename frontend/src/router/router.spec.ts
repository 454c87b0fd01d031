import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter, safeRedirect } from './index'
import { useAuthStore } from '@/stores/auth'

const leader = {
  id: 1,
  username: 'leader1',
  display_name: '张丽',
  role: 'grid_leader' as const,
  scope: { level: 'grid' as const, id: 3, name: '一网格', code: '110101001001001' },
  is_active: true,
}

describe('route guard', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(leader), { headers: { 'Content-Type': 'application/json' } })))
  })

  it('sends a signed-out visitor to /login, remembering where they were going', async () => {
    const router = createAppRouter(createMemoryHistory())
    await router.push('/me')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/me')
    await router.push('/map')
    expect(router.currentRoute.value.name).toBe('login')
  })

  it("fetches the tracking page's words for a resident, who is not signed in", async () => {
    const { i18n } = await import('@/i18n')
    const router = createAppRouter(createMemoryHistory())
    await router.push('/track/WGABC123')
    expect(router.currentRoute.value.name).toBe('track')
    expect(i18n.global.te('track.stepLabels.contact')).toBe(true)
  })

  it('lets a signed-in user in and loads who they are', async () => {
    const auth = useAuthStore()
    auth.setTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
    const router = createAppRouter(createMemoryHistory())
    await router.push('/')
    expect(router.currentRoute.value.path).toBe('/map')
    expect(auth.user?.display_name).toBe('张丽')
    await router.push('/login')
    expect(router.currentRoute.value.path).toBe('/map')
  })

  it('holds a user whose password was reset on /password until they change it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ ...leader, must_change_password: true }), { headers: { 'Content-Type': 'application/json' } })),
    )
    const auth = useAuthStore()
    auth.setTokens({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 900 })
    const router = createAppRouter(createMemoryHistory())
    await router.push('/matters')
    expect(router.currentRoute.value.name).toBe('password')
    await router.push('/admin/users')
    expect(router.currentRoute.value.name).toBe('password')
    auth.user = { ...auth.user!, must_change_password: false }
    await router.push('/matters')
    expect(router.currentRoute.value.name).toBe('matters')
  })

  it('fetches the words of the desk pages with them', async () => {
    const { sectionOfPath } = await import('./index')
    expect(sectionOfPath('/admin')).toBe('admin')
    expect(sectionOfPath('/admin/users')).toBe('admin')
    expect(['/triage', '/hazards', '/emergency/new', '/incidents/3'].map(sectionOfPath)).toEqual(['station', 'station', 'station', 'station'])
    expect(['/patrols/table', '/visits/table'].map(sectionOfPath)).toEqual(['station', 'station'])
    const queues = ['/matters/applications', '/matters/verifications', '/matters/callbacks', '/matters/hotline']
    expect(queues.map(sectionOfPath)).toEqual(['station', 'station', 'station', 'station'])
    expect(['/my-day', '/leave', '/coverage', '/visits'].map(sectionOfPath)).toEqual(['field', 'field', 'field', 'field'])
    expect(['/patrol', '/quick-report', '/patrols/table'].map(sectionOfPath)).toEqual(['field', 'field', 'station'])
    expect(['/map', '/matters', '/administrator', '/reports'].map(sectionOfPath)).toEqual([null, null, null, null])
    expect(['/report', '/report/mine'].map(sectionOfPath)).toEqual(['resident', 'resident'])
    expect(['/matters/12', '/track', '/track/WGABC123'].map(sectionOfPath)).toEqual(['loop', 'loop', 'loop'])
    expect(['/matters/new', '/matters/supervision'].map(sectionOfPath)).toEqual([null, null])
    expect(['/assessment', '/assessment/grid/4', '/me/month'].map(sectionOfPath)).toEqual(['assessment', 'assessment', 'assessment'])
    expect(sectionOfPath('/me')).toBe(null)
    expect(['/board', '/board/7', '/assessment/bulletins/3'].map(sectionOfPath)).toEqual(['assessment', 'assessment', 'assessment'])
    expect(sectionOfPath('/boards')).toBe(null)
  })

  it('follows only same-app redirects', () => {
    expect(safeRedirect('/me')).toBe('/me')
    expect(safeRedirect('//evil.example')).toBe('/map')
    expect(safeRedirect('https://evil.example')).toBe('/map')
    expect(safeRedirect(undefined)).toBe('/map')
  })
})

describe('resident pages', () => {
  it('are /report, /track with or without a code and /board with or without a community, and nothing else', async () => {
    const { isResidentPath } = await import('./index')
    expect(['/report', '/track', '/track/WG12345678', '/report/', '/board', '/board/3'].every(isResidentPath)).toBe(true)
    expect(['/map', '/login', '/reports', '/matters/1', '/', '/boards', '/assessment/bulletins'].some(isResidentPath)).toBe(false)
  })
})
