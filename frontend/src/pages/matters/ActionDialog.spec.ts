import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { defineComponent, h, ref } from 'vue'
import { i18n, loadSection, setLocale } from '@/i18n'
import type { Matter } from '@/api/types'
import ActionDialog from './ActionDialog.vue'

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  })
}

function matter(actions: { action: string; needs: string[] }[]): Matter {
  return {
    id: 7,
    status: 'handling',
    version: 3,
    holder: { level: 'department', department_id: 1, name: '城管' },
    actions,
  } as unknown as Matter
}

/** The dialog opened on `action`, as the record page holds it; `sent` collects each action's body. */
async function open(action: string, needs: string[], answer: (url: string, init: RequestInit) => Response = () => json({ id: 7, version: 4 }, 200, { ETag: '"4"' })) {
  const sent: { url: string; body: unknown }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input)
      if (url.includes('/departments')) return json({ items: [
        { id: 1, name: '城管', is_active: true },
        { id: 2, name: '住建局', is_active: true },
        { id: 3, name: '应急局', is_active: true },
        { id: 4, name: '旧部门', is_active: false },
      ] })
      if (url.endsWith('/photos')) return json({ id: 41, url: '/p/41.jpg', thumb_url: '/p/41-t.jpg', token: 'tok41' }, 201)
      sent.push({ url, body: JSON.parse(String(init.body)) })
      return answer(url, init)
    }),
  )
  const current = ref<string | null>(null)
  const done = vi.fn()
  const Host = defineComponent({
    setup: () => () =>
      h(ActionDialog, { matter: matter([{ action, needs }]), etag: '"3"', action: current.value, 'onUpdate:action': (v: string | null) => (current.value = v), onDone: done }),
  })
  const wrapper = mount(Host, { global: { plugins: [i18n] }, attachTo: document.body })
  current.value = action
  await flushPromises()
  return { wrapper, sent, done }
}

const q = <T extends HTMLElement = HTMLElement>(sel: string) => document.body.querySelector<T>(sel)
async function fill(testid: string, value: string) {
  const el = q<HTMLInputElement>(`[data-testid="${testid}"]`)!
  el.value = value
  el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input'))
  await flushPromises()
}
async function click(sel: string) {
  q(sel)!.click()
  await flushPromises()
}

describe('ActionDialog, the steps around the routes', () => {
  beforeAll(async () => {
    setLocale('zh-CN')
    await loadSection('loop')
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  it('records a mediation session with its parties, asking for the agreement when agreed', async () => {
    const { wrapper, sent, done } = await open('mediate', ['session'])
    await fill('loop-session-mediators', '王站长')
    await fill('loop-session-outcome', 'agreed')
    await click('[data-testid="loop-party-add"]')
    const party = q('[data-testid="loop-party"]')!.querySelectorAll('input')
    party[0].value = '张三'
    party[0].dispatchEvent(new Event('input'))
    party[1].value = '13800000001'
    party[1].dispatchEvent(new Event('input'))
    await flushPromises()
    await click('[data-testid="action-confirm"]')
    expect(sent).toHaveLength(0)
    expect(q('[data-testid="action-error"]')?.textContent).toBe('请填写协议内容')
    await fill('loop-session-agreement', '楼上夜间十点后不再装修')
    await fill('loop-session-held-on', '2026-11-30')
    await click('[data-testid="action-confirm"]')
    expect(sent).toEqual([
      {
        url: '/api/v1/matters/7/actions/mediate',
        body: {
          session: {
            held_on: '2026-11-30',
            mediators: '王站长',
            outcome: 'agreed',
            agreement: '楼上夜间十点后不再装修',
            parties: [{ name: '张三', phone: '13800000001' }],
          },
        },
      },
    ])
    expect(done).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })

  it('convenes other active departments with a reason, and shows the code\'s own words when refused', async () => {
    const { wrapper, sent } = await open('coordinate', ['departments', 'reason'], () =>
      json({ status: 422, title: 'Unprocessable', code: 'cooperator-department', type: 'https://wangge.dev/problems/cooperator-department', detail: 'No other active department 3 serves this place' }, 422),
    )
    const offered = [...document.body.querySelectorAll('[data-testid^="loop-department-"]')].map((e) => e.getAttribute('data-testid'))
    expect(offered).toEqual(['loop-department-2', 'loop-department-3']) // not the holder's own, not an inactive one
    await fill('action-text', '需住建局、应急局联合处置')
    await click('[data-testid="action-confirm"]')
    expect(q('[data-testid="action-error"]')?.textContent).toBe('请填写协办单位')
    await click('[data-testid="loop-department-2"]')
    await click('[data-testid="loop-department-3"]')
    await click('[data-testid="action-confirm"]')
    expect(sent[0].body).toEqual({ reason: '需住建局、应急局联合处置', departments: [2, 3] })
    expect(q('[data-testid="action-error"]')?.textContent).toBe('该部门不能协办此事项')
    wrapper.unmount()
  })

  it('verifies with a note and an on-site photo uploaded first, sent by its id', async () => {
    const { wrapper, sent } = await open('verify', ['note', 'photos'])
    expect(q('[data-testid="action-confirm"]')?.className).toContain('van-button--primary')
    await fill('loop-note', '现场已拆除')
    await click('[data-testid="action-confirm"]')
    expect(q('[data-testid="action-error"]')?.textContent).toBe('请填写现场照片')
    const input = q<HTMLInputElement>('[data-testid="report-photo-input"]')!
    Object.defineProperty(input, 'files', { value: [new File([new Uint8Array([1, 2, 3])], 'site.jpg', { type: 'image/jpeg' })], configurable: true })
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    expect(document.body.querySelectorAll('[data-testid="report-photo-thumb"]')).toHaveLength(1)
    await click('[data-testid="action-confirm"]')
    expect(sent[0]).toEqual({ url: '/api/v1/matters/7/actions/verify', body: { note: '现场已拆除', photos: [41] } })
    wrapper.unmount()
  })

  it('records a contact, and a callback whose note is optional; a send-back is styled as dangerous', async () => {
    let opened = await open('contact', ['contact'])
    await fill('loop-contact-method', 'visit')
    await fill('loop-contact-tries', '2')
    await fill('loop-contact-agreed', '周五上午上门')
    await click('[data-testid="action-confirm"]')
    expect(opened.sent[0].body).toEqual({ contact: { method: 'visit', answered: true, tries: 2, agreed: '周五上午上门' } })
    opened.wrapper.unmount()

    opened = await open('callback', ['answer'])
    await click('[data-testid="loop-answer-not_satisfied"]')
    await click('[data-testid="action-confirm"]')
    expect(opened.sent[0].body).toEqual({ answer: 'not_satisfied' })
    opened.wrapper.unmount()

    opened = await open('send_back', ['reason'])
    expect(q('[data-testid="action-confirm"]')?.className).toContain('van-button--danger')
    opened.wrapper.unmount()
    expect(i18n.global.t('matters.actions.send_back')).toBe('核查退回')
  })
})
