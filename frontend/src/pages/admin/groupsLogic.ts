// The special group form's checks, said in the page before anything is sent (the server checks the same).

export interface GroupForm {
  name_zh: string
  name_en: string
  every: string
  active: boolean
}

/** The key of what is wrong with the form (under admin.groups), or null. */
export function groupFormProblem(v: GroupForm): 'namesRequired' | 'everyRule' | null {
  if (!v.name_zh.trim() || !v.name_en.trim()) return 'namesRequired'
  if (!/^\d+$/.test(v.every.trim())) return 'everyRule'
  const days = Number(v.every)
  if (days < 1 || days > 366) return 'everyRule'
  return null
}
