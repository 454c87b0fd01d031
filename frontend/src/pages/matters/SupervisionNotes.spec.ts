import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import type { SupervisionNote } from '@/api/station'
import SupervisionNotes from './SupervisionNotes.vue'

function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  })
}

let notes: SupervisionNote[] = []
const posts: unknown[] = []

function backend() {
  return vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input)
    if (url.endsWith('/matters/7/supervision-notes') && init.method === 'POST') {
      const body = JSON.parse(String(init.body))
      posts.push(body)
      const note = { id: notes.length + 1, matter_id: 7, author: { id: 1, name: '张站长' }, text: body.text, created_at: '2026-11-29T02:00:00Z' }
      notes = [...notes, note]
      return json(note, 201)
    }
    if (url.endsWith('/matters/7/supervision-notes')) return json({ items: notes })
    return json({ title: 'Not Found', status: 404 }, 404)
  })
}

describe('SupervisionNotes', () => {
  beforeEach(() => {
    setLocale('zh-CN')
    notes = []
    posts.length = 0
    vi.stubGlobal('fetch', backend())
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    document.body.innerHTML = ''
  })

  it('lets a chief write a 督办 note, which joins the list', async () => {
    const wrapper = mount(SupervisionNotes, { props: { matterId: 7, canAdd: true }, global: { plugins: [i18n] } })
    await flushPromises()
    expect(wrapper.find('[data-testid="supervise-button"]').text()).toBe('督办')
    await wrapper.find('[data-testid="supervise-button"]').trigger('click')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="supervise-error"]').text()).toBe('请填写督办内容')
    expect(posts).toEqual([])
    await wrapper.find('[data-testid="supervise-text"]').setValue('请今日内反馈进度')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(posts).toEqual([{ text: '请今日内反馈进度' }])
    const shown = wrapper.findAll('[data-testid="supervision-note"]')
    expect(shown).toHaveLength(1)
    expect(shown[0].text()).toContain('请今日内反馈进度')
    expect(shown[0].text()).toContain('张站长')
    wrapper.unmount()
  })

  it('shows nothing to a role that may not supervise when there are no notes', async () => {
    const wrapper = mount(SupervisionNotes, { props: { matterId: 7, canAdd: false }, global: { plugins: [i18n] } })
    await flushPromises()
    expect(wrapper.find('[data-testid="supervision-notes"]').exists()).toBe(false)
    wrapper.unmount()
  })
})
