import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, loadSection, setLocale } from '@/i18n'
import type { MatterLoop } from '@/api/types'
import LoopSection from './LoopSection.vue'

const full: MatterLoop = {
  rules: { mediation: true },
  order_no: 'GD20261201-0042',
  contact: {
    due_at: '2026-12-01T03:00:00Z',
    first_at: '2026-12-01T05:00:00Z',
    on_time: false,
    records: [
      { method: 'phone', answered: false, tries: 3, at: '2026-12-01T05:00:00Z', agreed: null, on_time: false, by: '张网格长' },
      { method: 'visit', answered: true, tries: 1, at: '2026-12-01T07:00:00Z', agreed: '周五协调', on_time: false, by: '张网格长' },
    ],
  },
  applications: [],
  verification: {
    needed: true,
    close_on: 'rating',
    verified_at: null,
    verified_by: null,
    note: null,
    photos: [],
    sent_back: [{ at: '2026-12-02T02:00:00Z', by: '王站长', reason: '照片看不清' }],
  },
  callbacks: [{ at: '2026-12-05T02:00:00Z', by: '王站长', answer: 'unreachable', note: null, tries: 1 }],
  mediation: {
    parties: [
      { name: '张三', phone: '138****0001', role: '楼上' },
      { name: '李四', phone: null, role: null },
    ],
    agreement: '夜间十点后不再装修',
    follow_up_on: '2026-12-20',
    outcome: 'agreed',
    sessions: [{ id: 1, held_on: '2026-11-30', mediators: '王站长、调解员', outcome: 'agreed', note: '双方到场', recorded_by: '王站长' }],
  },
  cooperators: [
    { department_id: 2, department: '住建局', added_at: '2026-12-01T02:00:00Z', part: '已出具鉴定', part_by: '住建局办事员', part_at: '2026-12-02T02:00:00Z' },
    { department_id: 3, department: '应急局', added_at: '2026-12-01T02:00:00Z', part: null, part_by: null, part_at: null },
  ],
}

describe('LoopSection', () => {
  beforeAll(async () => {
    setLocale('zh-CN')
    await loadSection('loop')
  })

  it('shows each part of the loop that has something in it', () => {
    const wrapper = mount(LoopSection, { props: { loop: full }, global: { plugins: [i18n] } })
    const part = (id: string) => wrapper.find(`[data-testid="${id}"]`)
    expect(part('loop-order-no').text()).toBe('GD20261201-0042')
    expect(part('loop-contact-on-time').text()).toBe('超时')
    expect(part('loop-contact').text()).toContain('电话 · 未接通 · 3次')
    expect(part('loop-contact').text()).toContain('约定：周五协调')
    expect(part('loop-verification').text()).toContain('是（核查后待居民评价）')
    expect(part('loop-verification').text()).toContain('尚未核查')
    // The decision's note after the time, apart from it (not "03:32:…", read as a time).
    const refused = mount(LoopSection, {
      props: {
        loop: {
          ...full,
          applications: [
            {
              id: 7,
              kind: 'suspension',
              until: '2026-12-10',
              reason: '当事人外出',
              applied_by: '谭明',
              applied_at: '2026-12-01T19:31:00Z',
              due_at_before: '2026-12-06T15:59:00Z',
              approver_level: 'station',
              decision: 'refused',
              decided_by: '陈秀英',
              decided_at: '2026-12-01T19:32:00Z',
              decision_note: '不必缓办',
            },
          ],
        },
      },
      global: { plugins: [i18n] },
    })
    expect(refused.find('[data-testid="loop-application"]').text()).toMatch(/陈秀英 审批于 \S+ \d\d:\d\d · 不必缓办/)
    expect(part('loop-sent-back').text()).toContain('核查退回 · 照片看不清')
    expect(part('loop-callbacks').text()).toContain('无法联系')
    // The parties as the API gives them: the phone masked for who may not read it.
    expect(wrapper.findAll('[data-testid="loop-party-shown"]').map((p) => p.text())).toEqual(['张三 · 楼上 · 138****0001', '李四'])
    expect(part('loop-mediation').text()).toContain('夜间十点后不再装修')
    expect(part('loop-mediation').text()).toContain('2026-12-20')
    expect(part('loop-mediation').text()).toContain('王站长、调解员')
    expect(part('loop-cooperators').text()).toContain('住建局已出具鉴定')
    expect(part('loop-cooperators').text()).toContain('应急局尚未填报协办情况')
    expect(part('loop-applications').exists()).toBe(false)
  })

  it('is not drawn when nothing happened around the routes', () => {
    const empty: MatterLoop = {
      ...full,
      rules: {},
      order_no: null,
      contact: { due_at: null, first_at: null, on_time: null, records: [] },
      verification: { ...full.verification, needed: false, sent_back: [] },
      callbacks: [],
      mediation: null,
      cooperators: [],
    }
    const wrapper = mount(LoopSection, { props: { loop: empty }, global: { plugins: [i18n] } })
    expect(wrapper.find('[data-testid="matter-loop"]').exists()).toBe(false)
  })
})
