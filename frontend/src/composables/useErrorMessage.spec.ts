import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { setLocale } from '@/i18n'
import { errorMessage } from './useErrorMessage'

describe('errorMessage', () => {
  afterEach(() => setLocale('zh-CN'))

  it('translates the statuses it knows', () => {
    expect(errorMessage(new ApiError(401, 'Incorrect username or password'), 'login')).toBe('用户名或密码错误')
    expect(errorMessage(new ApiError(0, 'Failed to fetch'))).toBe('网络连接失败,请稍后重试')
    expect(errorMessage(new ApiError(503, 'upstream'))).toBe('服务器出错,请稍后重试')
    setLocale('en')
    expect(errorMessage(new ApiError(401, 'x'), 'login')).toBe('Wrong username or password')
  })

  it('keeps the server message for statuses it does not translate', () => {
    expect(errorMessage(new ApiError(409, 'Grid code already used'))).toBe('Grid code already used')
  })
})
