// Buildings in the order people count them: 1栋, 2栋, … 10栋 (not 1栋, 10栋, 2栋), 1单元 before 2单元, A座 before
// B座. The database's ordering differs between engines, so every list of buildings is sorted here, by one collator.
const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' })

/** Compares two names as a person counts them (numbers by value, Chinese by the zh-CN collation). */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b)
}

/** The buildings (or anything named) in natural order of their names, ties kept by id; a new array. */
export function byNaturalName<T extends { name: string; id?: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => naturalCompare(a.name, b.name) || (a.id ?? 0) - (b.id ?? 0))
}
