// Number formatting for a grid's figures, in the current language.

export function formatCount(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
}

/** "12,345 m²" and "0.012 km²": staff think in square metres for a grid and in km² for a community. */
export function formatArea(areaM2: number | null | undefined, locale: string): { m2: string; km2: string } {
  if (areaM2 === null || areaM2 === undefined || Number.isNaN(areaM2)) return { m2: '—', km2: '—' }
  const km2 = areaM2 / 1_000_000
  const km2Text = new Intl.NumberFormat(locale, {
    minimumFractionDigits: km2 >= 1 ? 2 : 3,
    maximumFractionDigits: km2 >= 1 ? 2 : 3,
  }).format(km2)
  return { m2: `${formatCount(areaM2, locale)} m²`, km2: `${km2Text} km²` }
}
