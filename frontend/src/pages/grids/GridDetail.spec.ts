import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import type { GridProperties } from '@/api/types'
import GridDetail from './GridDetail.vue'

const grid: GridProperties = {
  id: 11,
  code: '110101001001003',
  name: '和平里第三网格',
  kind: 'property_managed',
  community_id: 4,
  community_name: '和平里社区',
  community_code: '110101001001',
  households: 3654,
  registered_population: 9120,
  floating_population: 2875,
  area_m2: 45210.4,
  building_count: 23,
  institution_count: 15,
  business_count: 98,
  leader_name: '张丽',
  is_active: true,
}

function render(props: GridProperties) {
  return mount(GridDetail, { props: { grid: props }, global: { plugins: [i18n] } })
}

const figure = (wrapper: ReturnType<typeof render>, key: string) => wrapper.find(`[data-testid="grid-figure-${key}"]`).text()

describe('GridDetail', () => {
  afterEach(() => setLocale('zh-CN'))

  it('shows the figures in Chinese', () => {
    const wrapper = render(grid)
    const root = wrapper.find('[data-testid="grid-detail"]')
    expect(root.text()).toContain('和平里第三网格')
    expect(root.text()).toContain('110101001001003')
    expect(wrapper.find('[data-testid="grid-detail-community"]').text()).toBe('和平里社区')
    expect(wrapper.find('[data-testid="grid-detail-kind"]').text()).toBe('物管小区')
    expect(wrapper.find('[data-testid="grid-detail-leader"]').text()).toBe('张丽')
    expect(figure(wrapper, 'households')).toBe('户数3,654 户')
    expect(figure(wrapper, 'registered')).toBe('户籍人口9,120 人')
    expect(figure(wrapper, 'floating')).toBe('流动人口2,875 人')
    expect(figure(wrapper, 'area')).toBe('面积45,210 m² (0.045 km²)')
    expect(figure(wrapper, 'buildings')).toBe('楼栋23 栋')
    expect(figure(wrapper, 'institutions')).toBe('驻区单位15 个')
    expect(figure(wrapper, 'businesses')).toBe('个体私营户98 个')
  })

  it('shows the figures in English', async () => {
    setLocale('en')
    const wrapper = render({ ...grid, kind: 'work_unit', area_m2: 1_250_000 })
    expect(wrapper.find('[data-testid="grid-detail-kind"]').text()).toBe('Work-unit compound')
    expect(figure(wrapper, 'households')).toBe('Households3,654')
    expect(figure(wrapper, 'floating')).toBe('Floating population2,875')
    expect(figure(wrapper, 'area')).toBe('Area1,250,000 m² (1.25 km²)')
    expect(figure(wrapper, 'businesses')).toBe('Businesses98')
    expect(wrapper.text()).toContain('Grid leader')
  })

  it('says 未设置 / Not set when the grid has no leader', async () => {
    const wrapper = render({ ...grid, leader_name: null })
    expect(wrapper.find('[data-testid="grid-detail-leader"]').text()).toBe('未设置')
    setLocale('en')
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid="grid-detail-leader"]').text()).toBe('Not set')
  })

  it('re-renders when given another grid', async () => {
    const wrapper = render(grid)
    await wrapper.setProps({ grid: { ...grid, name: '第四网格', code: '110101001001004', households: 12 } })
    expect(wrapper.find('[data-testid="grid-detail-name"]').text()).toBe('第四网格')
    expect(wrapper.find('[data-testid="grid-detail-code"]').text()).toBe('110101001001004')
    expect(figure(wrapper, 'households')).toBe('户数12 户')
  })
})
