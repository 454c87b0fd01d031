import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { setLocale } from '@/i18n'
import zhCN from '@/i18n/codes/zh-CN'
import en from '@/i18n/codes/en'
import type { ProblemDetails } from '@/api/types'
import { codeMessage, errorMessage } from './useErrorMessage'

const PROBLEMS = 'https://wangge.dev/problems/'

function problemError(status: number, code: string, detail: string, extra: Partial<ProblemDetails> = {}) {
  return new ApiError(status, detail, { type: PROBLEMS + code, code, title: 'x', status, detail, ...extra })
}

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

  it("shows the app's own message for the problem's code, in the current language", () => {
    const outside = problemError(422, 'outside-grid', 'The place you chose is outside the grids we serve')
    expect(errorMessage(outside)).toBe('所选位置不在服务网格内，请移动定位')
    expect(errorMessage(problemError(412, 'precondition-failed', 'The matter changed'))).toBe('内容已被他人更新，请刷新后重试')
    expect(errorMessage(problemError(401, 'account-deactivated', 'deactivated'), 'login')).toBe('该账号已停用')
    setLocale('en')
    expect(errorMessage(outside)).toBe('The place is outside the grids served; move the pin')
    expect(errorMessage(problemError(409, 'meeting-closed', 'The meeting is closed'))).toBe('The meeting is closed')
  })

  it('reads the code from the end of `type` when the body has no `code` member', () => {
    const error = new ApiError(409, 'x', { type: PROBLEMS + 'task-done', status: 409, detail: 'x' })
    expect(error.code).toBe('task-done')
    expect(errorMessage(error)).toBe('该检查任务已完成')
    expect(new ApiError(409, 'x', { type: 'about:blank' }).code).toBeNull()
    expect(new ApiError(409, 'x').code).toBeNull()
  })

  it('falls back to the status when the code has no message', () => {
    expect(errorMessage(problemError(404, 'some-new-code', 'gone'))).toBe('请求的内容不存在')
    expect(errorMessage(problemError(409, 'some-new-code', 'Grid code already used'))).toBe('Grid code already used')
    expect(errorMessage(problemError(503, 'some-new-code', 'down'))).toBe('服务器出错,请稍后重试')
  })

  it('keeps the server detail or fields after a generic code, and nothing after a code of its own', () => {
    expect(errorMessage(problemError(409, 'conflict', 'Grid code already used'))).toBe('与现有数据冲突: Grid code already used')
    const fields = problemError(422, 'validation-error', 'The request is not valid: phone', {
      errors: [{ loc: ['body', 'reporter_phone'], msg: 'String should match pattern', type: 'string_pattern_mismatch' }],
    })
    expect(errorMessage(fields)).toBe('提交的内容有误: reporter_phone: String should match pattern')
    const photo = problemError(422, 'bad-photo', 'Not an image', {
      errors: [{ loc: ['body', 'file'], msg: 'the file is not a JPEG, PNG or WebP image', type: 'value_error' }],
    })
    expect(errorMessage(photo)).toBe('照片无法识别，请换一张')
  })

  it('says how long a refusal that lasts will last', () => {
    expect(errorMessage(problemError(429, 'too-many-attempts', 'locked', { retry_after: 61 }), 'login')).toBe(
      '尝试次数过多，请稍后再试（约 2 分钟后可再试）',
    )
    expect(errorMessage(problemError(429, 'too-many-requests', 'slow down', { retry_after: 5 }))).toBe(
      '操作过于频繁，请稍后再试（约 1 分钟后可再试）',
    )
    expect(errorMessage(problemError(429, 'too-many-attempts', 'locked'))).toBe('尝试次数过多，请稍后再试')
  })

  it('says the session is over for a bare 401, and wrong credentials on the login form', () => {
    expect(errorMessage(problemError(401, 'unauthorized', 'Not authenticated'))).toBe('登录已过期,请重新登录')
    expect(errorMessage(problemError(401, 'invalid-credentials', 'Wrong username or password'), 'login')).toBe('用户名或密码错误')
  })

  it('resolves every translated code in both languages (kebab-case keys survive the message path)', () => {
    for (const [locale, messages] of [['zh-CN', zhCN], ['en', en]] as const) {
      setLocale(locale)
      const codes = Object.entries(messages.errors.codes)
      expect(codes.length).toBeGreaterThan(20)
      for (const [code, text] of codes) expect(codeMessage(code), code).toBe(text)
    }
  })
})
