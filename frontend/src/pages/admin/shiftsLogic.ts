// The weekly shifts of the staggered-hours system 错时工作制 as the roster page arranges them.
import type { Shift } from '@/api/admin'

/** Monday of the week that holds `day`, as YYYY-MM-DD (local dates: the roster is in Beijing days). */
export function mondayOf(day: Date): string {
  const d = new Date(day.getFullYear(), day.getMonth(), day.getDate())
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7))
  return isoDay(d)
}

export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** `monday` moved by whole weeks. */
export function addWeeks(monday: string, weeks: number): string {
  const [y, m, d] = monday.split('-').map(Number)
  return isoDay(new Date(y, m - 1, d + 7 * weeks))
}

/** Each leader's shifts by weekday (0 = Monday), in order of their start. */
export function byLeaderAndDay(shifts: Shift[]): Map<number, Shift[][]> {
  const out = new Map<number, Shift[][]>()
  for (const s of [...shifts].sort((a, b) => a.weekday - b.weekday || a.start_time.localeCompare(b.start_time))) {
    const days = out.get(s.user.id) ?? Array.from({ length: 7 }, () => [] as Shift[])
    days[s.weekday].push(s)
    out.set(s.user.id, days)
  }
  return out
}

/** A shift's times are HH:MM, the end after the start (24:00 ends at midnight). */
export function validTimes(start: string, end: string): boolean {
  const ok = (v: string) => /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(v)
  return ok(start) && ok(end) && start !== '24:00' && end > start
}
