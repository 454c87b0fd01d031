import { describe, expect, it } from 'vitest'
import { blankForm, bodyOf, formProblems, itemCodes } from './checklistsLogic'

describe('a checklist form', () => {
  it('gives items without a code the checklist code and their place, never a taken one', () => {
    expect(itemCodes('roof', [
      { code: '', text_zh: 'a', text_en: '' },
      { code: 'roof_1', text_zh: 'b', text_en: '' },
      { code: '', text_zh: 'c', text_en: '' },
    ])).toEqual(['roof_2', 'roof_1', 'roof_3'])
  })

  it('names what keeps it from being saved', () => {
    const form = blankForm()
    expect(formProblems(form, true)).toEqual(['code', 'name', 'noItems'])
    form.code = 'roof'
    form.name_zh = '屋顶检查'
    form.items = [{ code: 'roof_1', text_zh: '屋面无渗漏', text_en: '' }, { code: 'roof_1', text_zh: ' ', text_en: '' }]
    expect(formProblems(form, true)).toEqual(['itemText', 'itemTwice'])
    form.items[1].text_zh = '女儿墙'
    form.items[1].code = 'Roof 1'
    expect(formProblems(form, true)).toEqual(['itemCode'])
    form.items[1].code = 'parapet'
    expect(formProblems(form, true)).toEqual([])
    form.code = 'Bad'
    expect(formProblems(form, false)).toEqual([])
  })

  it('sends trimmed fields, rows with words only, the street when given', () => {
    const form = { ...blankForm(), code: ' roof ', name_zh: ' 屋顶 ', hazard_type: 'building' }
    form.items = [{ code: '', text_zh: ' 屋面 ', text_en: ' Roof ' }, { code: '', text_zh: '', text_en: '' }]
    expect(bodyOf(form, 3)).toEqual({
      code: 'roof',
      name_zh: '屋顶',
      name_en: '',
      hazard_type: 'building',
      items: [{ code: 'roof_1', text_zh: '屋面', text_en: 'Roof' }],
      street_id: 3,
    })
    expect(bodyOf(form).street_id).toBeUndefined()
  })
})
