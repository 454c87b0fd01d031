import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'
import adminZh from './admin/zh-CN'
import adminEn from './admin/en'
import stationZh from './station/zh-CN'
import stationEn from './station/en'
import fieldZh from './field/zh-CN'
import fieldEn from './field/en'
import loopZh from './loop/zh-CN'
import loopEn from './loop/en'
import assessmentZh from './assessment/zh-CN'
import assessmentEn from './assessment/en'
import residentZh from './resident/zh-CN'
import residentEn from './resident/en'
import sweepsZh from './sweeps/zh-CN'
import sweepsEn from './sweeps/en'
import { i18n, LOCALE_STORAGE_KEY, setLocale, toggleLocale } from './index'

function flatten(tree: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value && typeof value === 'object') Object.assign(out, flatten(value, path))
    else out[path] = String(value)
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('messages', () => {
  const zh = { ...flatten(zhCN), ...flatten(adminZh), ...flatten(stationZh), ...flatten(fieldZh), ...flatten(loopZh), ...flatten(assessmentZh), ...flatten(residentZh), ...flatten(sweepsZh) }
  const english = { ...flatten(en), ...flatten(adminEn), ...flatten(stationEn), ...flatten(fieldEn), ...flatten(loopEn), ...flatten(assessmentEn), ...flatten(residentEn), ...flatten(sweepsEn) }

  it('zh-CN and en have exactly the same keys', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort())
    expect(Object.keys(zh).length).toBeGreaterThan(50)
  })

  it('no message is empty and both languages use the same placeholders', () => {
    for (const key of Object.keys(zh)) {
      expect(zh[key], key).not.toBe('')
      expect(english[key], key).not.toBe('')
      expect(placeholders(english[key]), key).toEqual(placeholders(zh[key]))
    }
  })

  it('uses the domain words', () => {
    expect(zh['grid.households']).toBe('户数')
    expect(zh['grid.floatingPopulation']).toBe('流动人口')
    expect(zh['grid.kinds.property_managed']).toBe('物管小区')
    expect(zh['roles.station_chief']).toBe('服务站站长')
    expect(zh['nav.map']).toBe('地图')
    expect(english['nav.me']).toBe('Me')
    expect(english['auth.submit']).toBe('Log in')
  })
})

describe('matter words', () => {
  const zh = flatten(zhCN)
  const english = flatten(en)
  const statuses = ['submitted', 'accepted', 'at_station', 'escalated', 'handling', 'emergency', 'approval_review',
    'approval_decision', 'public_notice', 'resolved', 'closed', 'merged']
  const levels = ['grid', 'station', 'street', 'department']
  const actions = ['accept', 'handle_on_spot', 'bring_back', 'escalate', 'sign', 'return', 'resolve', 'declare_emergency',
    'define', 'review_pass', 'review_return', 'approve', 'refuse', 'end_notice', 'close', 'merge']

  it('every status, holder level and action is named in both languages', () => {
    for (const s of statuses) {
      expect(zh[`matters.statuses.${s}`], s).toBeTruthy()
      expect(english[`matters.statuses.${s}`], s).toBeTruthy()
    }
    for (const l of levels) {
      expect(zh[`matters.holderLevels.${l}`], l).toBeTruthy()
      expect(english[`matters.holderLevels.${l}`], l).toBeTruthy()
    }
    for (const a of actions) {
      expect(zh[`matters.actions.${a}`], a).toBeTruthy()
      expect(english[`matters.actions.${a}`], a).toBeTruthy()
    }
  })

  it('uses the words of the brief', () => {
    expect(zh['matters.statuses.submitted']).toBe('待受理')
    expect(zh['matters.statuses.at_station']).toBe('服务站办理')
    expect(zh['matters.statuses.escalated']).toBe('已上报待签收')
    expect(zh['matters.statuses.approval_decision']).toBe('部门审批中')
    expect(zh['matters.statuses.merged']).toBe('已合并')
    expect(zh['matters.holderLevels.station']).toBe('服务站')
    expect(zh['matters.actions.sign']).toBe('签收')
    expect(zh['matters.actions.return']).toBe('退回')
    expect(zh['matters.actions.bring_back']).toBe('带回')
    expect(zh['matters.actions.resolve']).toBe('办结')
    expect(zh['matters.overdue']).toBe('超时')
    expect(zh['matters.dueSoon']).toBe('即将到期')
    expect(zh['matters.owner']).toBe('首问责任人')
    expect(zh['matters.handoffs']).toBe('工作单')
    expect(zh['matters.ratings.basically_satisfied']).toBe('基本满意')
    expect(Object.keys(zh).filter((k) => k.startsWith('matters.five.')).map((k) => zh[k])).toEqual([
      '有人巡查', '有人报告', '有人负责', '有人解决', '有人督查',
    ])
    expect(zh['nav.matters']).toBe('事项')
    expect(zh['report.fromLogin']).toBe('我要反映问题')
    expect(zh['auth.trackFromLogin']).toBe('查询进度')
    expect(zh['report.outsideGrid']).toBe('所选位置不在服务网格内，请移动定位')
    expect(zh['track.notFound']).toBe('查询码或手机号不正确')
    expect(zh['track.tooMany']).toBe('尝试次数过多，请稍后再试')
    expect(zh['matters.staleReloaded']).toBe('事项已被他人更新，已为您刷新')
  })
})

describe('locale switch', () => {
  it('defaults to zh-CN and persists the choice and <html lang>', async () => {
    expect(i18n.global.locale.value).toBe('zh-CN')
    expect(i18n.global.t('nav.map')).toBe('地图')

    expect(await toggleLocale()).toBe('en')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(i18n.global.t('nav.map')).toBe('Map')

    setLocale('zh-CN')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN')
    expect(document.documentElement.lang).toBe('zh-CN')
  })
})

describe('sections fetched with their pages', () => {
  it('merge into what the first screen already has, in both languages', async () => {
    const { loadSection, switchLocale } = await import('./index')
    await switchLocale('zh-CN')
    await loadSection('station')
    expect(i18n.global.t('triage.title')).toBe('研判会')
    expect(i18n.global.t('triage.link')).toBe('研判会') // kept beside the fetched words
    await switchLocale('en')
    expect(i18n.global.t('incident.link')).not.toBe('incident.link')
    expect(i18n.global.t('incident.listTitle')).not.toBe('incident.listTitle') // fetched for English too
    await switchLocale('zh-CN')
  })
})


describe('assessment words', () => {
  const zh = flatten(assessmentZh)
  const english = flatten(assessmentEn)
  // The indicator keys of the shared contract (issue 12): schemes, exports and the bulletin label them from here.
  const keys = ['received', 'resolved', 'response_rate', 'on_time_rate', 'resolution_rate', 'satisfaction_rate',
    'rated_online', 'rated_callback', 'reopen_rate', 'overdue', 'resolve_hours', 'level_share', 'patrol_coverage',
    'log_days', 'visit_rate', 'quick_reports', 'hazards_found', 'hazards_fixed_on_time', 'hazards_overdue',
    'hazards_by_type', 'first_report_on_time', 'follow_ups_on_time', 'muster_on_time']

  it('every indicator, grade and period kind is named in both languages', () => {
    for (const key of keys) {
      expect(zh[`assessment.indicators.${key}`], key).toBeTruthy()
      expect(english[`assessment.indicators.${key}`], key).toBeTruthy()
    }
    for (const grade of ['green', 'yellow', 'red']) expect(zh[`assessment.grades.${grade}`], grade).toBeTruthy()
    for (const kind of ['day', 'week', 'month', 'quarter', 'year', 'range']) expect(english[`assessment.periods.${kind}`], kind).toBeTruthy()
  })

  it('uses the domain words', () => {
    expect(zh['assessment.indicators.response_rate']).toBe('响应率')
    expect(zh['assessment.indicators.resolution_rate']).toBe('解决率')
    expect(zh['assessment.indicators.satisfaction_rate']).toBe('满意率')
    expect(zh['assessment.grades.green']).toBe('绿')
  })
})
