// The years the holiday library knows, said briefly: runs of consecutive years as "2001–2026".
export function yearsText(years: number[]): string {
  const sorted = [...new Set(years)].sort((a, b) => a - b)
  const runs: string[] = []
  let start = sorted[0]
  for (let i = 0; i < sorted.length; i++) {
    const year = sorted[i]
    if (sorted[i + 1] === year + 1) continue
    runs.push(start === year ? String(year) : `${start}–${year}`)
    start = sorted[i + 1]
  }
  return runs.join('、')
}
