import { describe, expect, it } from 'vitest'
import { groupFormProblem } from './groupsLogic'

const form = { name_zh: '独居老人', name_en: 'Living alone', every: '7', active: true }

describe('groupFormProblem', () => {
  it('accepts names and a whole number of days from 1 to 366', () => {
    expect(groupFormProblem(form)).toBeNull()
    expect(groupFormProblem({ ...form, every: '366' })).toBeNull()
    expect(groupFormProblem({ ...form, every: ' 1 ' })).toBeNull()
  })
  it('wants both names', () => {
    expect(groupFormProblem({ ...form, name_zh: ' ' })).toBe('namesRequired')
    expect(groupFormProblem({ ...form, name_en: '' })).toBe('namesRequired')
  })
  it('refuses an interval that is not 1 to 366 whole days', () => {
    for (const every of ['', '0', '367', '1.5', '-3', 'seven']) expect(groupFormProblem({ ...form, every })).toBe('everyRule')
  })
})
