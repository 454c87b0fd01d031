import { describe, expect, it } from 'vitest'
import type { Dashboard, PeriodOut, TableRow } from '@/api/assessment'
import { categoryOption, pieOption, scoreOption, trendOption } from './chartOptions'

const period = (label: string, start: string): PeriodOut => ({ kind: 'month', start, end: start, label, label_en: `en ${label}` })
const rate = (num: number, den: number) => ({ num, den, value: den ? num / den : null })
type Series = { name?: string; type: string; data: unknown[]; yAxisIndex?: number }

describe('chart options', () => {
  it('charts received/resolved as bars and the 三率 as % lines, gaps where nothing was counted', () => {
    const trend: Dashboard['trend'] = [
      { period: period('10月', '2026-10-01'), figures: { received: 4, resolved: 3, response_rate: rate(3, 4), resolution_rate: rate(0, 0), satisfaction_rate: rate(1, 2) } },
      { period: period('11月', '2026-11-01'), figures: { received: 0, resolved: 0, response_rate: rate(0, 0), resolution_rate: rate(0, 0), satisfaction_rate: rate(0, 0) } },
    ]
    const option = trendOption(trend, (k) => `#${k}`) as { xAxis: { data: string[] }; series: Series[] }
    expect(option.xAxis.data).toEqual(['10月', '11月'])
    expect((trendOption(trend, (k) => k, 'en') as { xAxis: { data: string[] } }).xAxis.data).toEqual(['en 10月', 'en 11月'])
    expect(option.series.map((s) => s.name)).toEqual(['#received', '#resolved', '#response_rate', '#resolution_rate', '#satisfaction_rate'])
    expect(option.series[0].data).toEqual([4, 0])
    expect(option.series[2]).toMatchObject({ type: 'line', yAxisIndex: 1, data: [75, null] })
    expect(option.series[4].data).toEqual([50, null])
  })

  it('puts the busiest category on top and leaves empty slices out of a ring', () => {
    const rows = [
      { code: 'a', name: '环境卫生', received: 2, resolved: 1, overdue: 0 },
      { code: 'b', name: '市政设施', received: 9, resolved: 5, overdue: 2 },
    ]
    const option = categoryOption(rows, (k) => k) as { yAxis: { data: string[] }; series: Series[] }
    expect(option.yAxis.data).toEqual(['环境卫生', '市政设施']) // ECharts draws the last category at the top
    expect(option.series.find((s) => s.name === 'overdue')!.data).toEqual([0, 2])
    const pie = pieOption([
      { name: 'x', value: 3 },
      { name: 'y', value: 0 },
    ]) as { series: Series[] }
    expect(pie.series[0].data).toEqual([{ name: 'x', value: 3 }])
  })

  it('colours each unit score by its grade and leaves unscored units out', () => {
    const unit = (id: number, name: string) => ({ level: 'grid' as const, id, name })
    const rows: TableRow[] = [
      { unit: unit(1, 'G1a'), figures: {}, score: 93.5, grade: 'green', rank: 1 },
      { unit: unit(2, 'G1b'), figures: {}, score: 60, grade: 'red', rank: 2 },
      { unit: unit(3, 'G1c'), figures: {}, score: null, grade: null, rank: null },
    ]
    const option = scoreOption(rows) as { xAxis: { data: string[] }; series: { data: { value: number; itemStyle: { color: string } }[] }[] }
    expect(option.xAxis.data).toEqual(['G1a', 'G1b'])
    expect(option.series[0].data[0]).toEqual({ value: 93.5, itemStyle: { color: '#07a35a' } })
    expect(option.series[0].data[1].itemStyle.color).toBe('#ee0a24')
  })
})
