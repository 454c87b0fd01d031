import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, loadSection, setLocale } from '@/i18n'
import FigureCards from './FigureCards.vue'
import UnitTable from './UnitTable.vue'
import type { TableRow } from '@/api/assessment'

describe('the assessment parts', () => {
  beforeAll(async () => {
    await loadSection('assessment') // the router fetches it with /assessment
    setLocale('zh-CN')
  })

  it('shows each figure with the previous period and last year beside it', () => {
    const wrapper = mount(FigureCards, {
      props: {
        keys: ['received', 'satisfaction_rate', 'overdue', 'patrol_coverage'],
        figures: { received: 12, satisfaction_rate: { num: 2, den: 2, value: 1 }, overdue: 3 },
        previous: { received: 10, satisfaction_rate: { num: 180, den: 200, value: 0.9 }, overdue: 1 },
        lastYear: { received: 12, satisfaction_rate: { num: 0, den: 0, value: null }, overdue: 5 },
      },
      global: { plugins: [i18n] },
    })
    const cards = wrapper.findAll('[data-testid="figure-card"]')
    expect(cards.map((c) => c.attributes('data-key'))).toEqual(['received', 'satisfaction_rate', 'overdue']) // absent keys left out
    expect(cards[1].text()).toContain('满意率')
    expect(cards[1].find('[data-testid="figure-value"]').text()).toBe('100.0%（2/2）')
    expect(cards[1].text()).toContain('90.0%（180/200）')
    expect(cards[1].find('[data-testid="delta-previous"]').text()).toBe('▲ 10.0 个百分点')
    expect(cards[1].find('[data-testid="delta-last-year"]').text()).toBe('—')
    expect(cards[0].find('[data-testid="delta-last-year"]').text()).toBe('持平')
    // More overdue than last month is worse (red), fewer than last year better (green).
    expect(cards[2].find('[data-testid="delta-previous"]').classes()).toContain('fc__delta--bad')
    expect(cards[2].find('[data-testid="delta-last-year"]').classes()).toContain('fc__delta--good')
  })

  it('ranks units with their grade and opens one', async () => {
    const unit = (id: number, name: string) => ({ level: 'grid' as const, id, name })
    const rows: TableRow[] = [
      { unit: unit(1, 'G1a网格'), figures: { received: 6, response_rate: { num: 5, den: 6, value: 0.8333 } }, score: 91.2, grade: 'green', rank: 1 },
      { unit: unit(2, 'G1b网格'), figures: { received: 2 }, score: null, grade: null, rank: null },
    ]
    const wrapper = mount(UnitTable, { props: { rows, drillable: true }, global: { plugins: [i18n] } })
    const trs = wrapper.findAll('[data-testid="unit-row"]')
    expect(trs[0].text()).toContain('绿')
    expect(trs[0].text()).toContain('91.2')
    expect(trs[0].text()).toContain('83.3%（5/6）')
    expect(trs[1].text()).toContain('未评')
    await trs[1].find('[data-testid="unit-open"]').trigger('click')
    expect(wrapper.emitted('open')).toEqual([['grid', 2]])
    const flat = mount(UnitTable, { props: { rows, drillable: false }, global: { plugins: [i18n] } })
    expect(flat.find('[data-testid="unit-open"]').exists()).toBe(false)
  })
})
