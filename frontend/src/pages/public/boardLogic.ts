// Pure helpers of the public board 公示栏 (BoardPage.vue).

export interface RateLike {
  num: number
  den: number
  value?: number | null
}

/** "95.2%", or "—" when nothing was counted (a rate of nothing is not 0 %). */
export function percent(rate: RateLike | null | undefined): string {
  if (!rate || !rate.den || rate.value === null || rate.value === undefined) return '—'
  const pct = Math.round(rate.value * 1000) / 10
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`
}

/** "2026-11" as the resident reads it: 2026年11月, or November 2026. */
export function monthText(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number)
  if (!y || !m) return month
  if (locale.startsWith('zh')) return `${y}年${m}月`
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
}

/** The community in the address (/board/12), or null for the picker. */
export function communityFromParam(param: unknown): number | null {
  const text = Array.isArray(param) ? param[0] : param
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) return null
  const id = Number(text)
  return id > 0 ? id : null
}

/** A phone number as a tel: link (digits and a leading + only). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`
}
