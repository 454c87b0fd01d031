// Pure rules of the checklist templates page (管理 → 检查表): the form's items as rows, their codes, the checks before
// saving, and the body sent.
import type { Checklist, ChecklistCreate } from '@/api/checklists'

export interface ItemRow {
  code: string
  text_zh: string
  text_en: string
}

export interface ChecklistForm {
  code: string
  name_zh: string
  name_en: string
  hazard_type: string
  items: ItemRow[]
}

export const CODE = /^[a-z][a-z0-9_]{1,39}$/
export const ITEM_CODE = /^[a-z0-9_]{1,40}$/

export function blankForm(): ChecklistForm {
  return { code: '', name_zh: '', name_en: '', hazard_type: 'fire', items: [{ code: '', text_zh: '', text_en: '' }] }
}

export function formOf(t: Checklist): ChecklistForm {
  return {
    code: t.code,
    name_zh: t.name_zh,
    name_en: t.name_en,
    hazard_type: t.hazard_type,
    items: t.items.map((i) => ({ code: i.code, text_zh: i.text_zh, text_en: i.text_en ?? '' })),
  }
}

/** The code an item left without one gets: the checklist's code and its place (fire_1, fire_2, …), never taken. */
export function itemCodes(code: string, items: ItemRow[]): string[] {
  const taken = new Set(items.map((i) => i.code.trim()).filter(Boolean))
  let n = 0
  return items.map((i) => {
    if (i.code.trim()) return i.code.trim()
    let candidate: string
    do {
      n += 1
      candidate = `${code || 'item'}_${n}`
    } while (taken.has(candidate))
    taken.add(candidate)
    return candidate
  })
}

/** The i18n keys (admin.checklists.errors.*) of what keeps the form from being saved; empty when it may be. */
export function formProblems(form: ChecklistForm, creating: boolean): string[] {
  const out: string[] = []
  if (creating && !CODE.test(form.code.trim())) out.push('code')
  if (!form.name_zh.trim()) out.push('name')
  const rows = form.items.filter((i) => i.text_zh.trim() || i.code.trim())
  if (!rows.length) out.push('noItems')
  if (rows.some((i) => !i.text_zh.trim())) out.push('itemText')
  const codes = itemCodes(form.code.trim(), rows)
  if (codes.some((c) => !ITEM_CODE.test(c))) out.push('itemCode')
  if (new Set(codes).size !== codes.length) out.push('itemTwice')
  return out
}

/** The body of the create (or, without code and street, the edit) request. */
export function bodyOf(form: ChecklistForm, streetId?: number): ChecklistCreate {
  const rows = form.items.filter((i) => i.text_zh.trim() || i.code.trim())
  const codes = itemCodes(form.code.trim(), rows)
  const body: ChecklistCreate = {
    code: form.code.trim(),
    name_zh: form.name_zh.trim(),
    name_en: form.name_en.trim(),
    hazard_type: form.hazard_type,
    items: rows.map((i, n) => ({ code: codes[n], text_zh: i.text_zh.trim(), text_en: i.text_en.trim() })),
  }
  if (streetId) body.street_id = streetId
  return body
}
