import { describe, expect, it } from 'vitest'
import { byNaturalName, naturalCompare } from './naturalOrder'

const names = (list: { name: string }[]) => list.map((b) => b.name)

describe('natural order of buildings', () => {
  it('counts numbers by value: 1栋, 2栋, … 10栋', () => {
    const list = ['10栋', '2栋', '1栋', '11栋', '9栋'].map((name, id) => ({ id, name }))
    expect(names(byNaturalName(list))).toEqual(['1栋', '2栋', '9栋', '10栋', '11栋'])
  })

  it('orders units and lettered blocks too', () => {
    expect(names(byNaturalName(['12单元', '1单元', '3单元'].map((name) => ({ name }))))).toEqual(['1单元', '3单元', '12单元'])
    expect(names(byNaturalName(['C座', 'A座', 'B座'].map((name) => ({ name }))))).toEqual(['A座', 'B座', 'C座'])
    expect(names(byNaturalName(['2号楼2单元', '2号楼10单元', '2号楼1单元'].map((name) => ({ name }))))).toEqual([
      '2号楼1单元',
      '2号楼2单元',
      '2号楼10单元',
    ])
  })

  it('keeps ties by id and does not change the input', () => {
    const input = [
      { id: 2, name: '3栋' },
      { id: 1, name: '3栋' },
      { id: 3, name: '1栋' },
    ]
    expect(byNaturalName(input).map((b) => b.id)).toEqual([3, 1, 2])
    expect(input.map((b) => b.id)).toEqual([2, 1, 3])
    expect(naturalCompare('2栋', '10栋')).toBeLessThan(0)
  })
})
