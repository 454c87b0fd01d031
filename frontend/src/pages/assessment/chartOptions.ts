// The ECharts options of the assessment pages, built from the API's figures (pure, so the specs can read them).
import type { EChartsCoreOption } from 'echarts/core'
import type { Dashboard, TableRow } from '@/api/assessment'
import { figureNumber, gradeColour, periodText, type Lang } from './assessmentLogic'

const RATES = ['response_rate', 'resolution_rate', 'satisfaction_rate'] as const
type Name = (key: string) => string

/** Received and resolved as bars (left axis), the 三率 as lines in % (right axis), over the 12 periods. */
export function trendOption(trend: Dashboard['trend'], name: Name, lang: Lang = 'zh-CN'): EChartsCoreOption {
  const labels = trend.map((p) => periodText(p.period, lang))
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 40, right: 44, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      ...['received', 'resolved'].map((key) => ({
        name: name(key),
        type: 'bar',
        barMaxWidth: 24,
        data: trend.map((p) => figureNumber(p.figures[key]) ?? 0),
      })),
      ...RATES.map((key) => ({
        name: name(key),
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: trend.map((p) => figureNumber(p.figures[key])),
      })),
    ],
  }
}

/** Received, resolved and overdue per category, the busiest first (horizontal bars). */
export function categoryOption(rows: Dashboard['by_category'], name: Name): EChartsCoreOption {
  const top = [...rows].sort((a, b) => b.received - a.received).slice(0, 10).reverse()
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 90, right: 16, top: 30, bottom: 20 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((r) => r.name) },
    series: (['received', 'resolved', 'overdue'] as const).map((key) => ({ name: name(key), type: 'bar', barMaxWidth: 16, data: top.map((r) => r[key]) })),
  }
}

/** Shares of a whole as a ring (by source, by level). */
export function pieOption(entries: { name: string; value: number }[]): EChartsCoreOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], data: entries.filter((e) => e.value > 0) }],
  }
}

/** The children's scores as bars in their grade's colour, in rank order. */
export function scoreOption(rows: TableRow[]): EChartsCoreOption {
  const scored = rows.filter((r) => r.score !== null)
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: scored.map((r) => r.unit.name), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [{ type: 'bar', barMaxWidth: 40, data: scored.map((r) => ({ value: r.score, itemStyle: { color: gradeColour(r.grade) } })) }],
  }
}
