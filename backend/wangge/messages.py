"""What the service says to people, in their language: the `detail` of every problem (by its stable code), and the
language a request asks for.

The languages are Simplified Chinese (`zh-CN`, the default) and English (`en`). A request's language is the first
of its `Accept-Language` the service speaks; without one, the signed-in user's `language`; else Chinese.

PROBLEMS holds, for every problem code the service sends, a template per language; a template names its fields
(`{fields}`), filled from the problem's members and the `params` its raiser gave. In English the raiser's own detail
is kept when it gave one: it names the specifics (which grid, which status, which limit). The app shows its own
message per code (frontend/src/i18n, errors.codes) and the detail only where it has none.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any, Literal

Language = Literal["zh-CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh-CN", "en")
DEFAULT_LANGUAGE: Language = "zh-CN"
log = logging.getLogger("wangge.messages")

# The signed-in user's language, set when the caller is identified (accounts.dependencies): the language of a
# request that names none in Accept-Language.
user_language: ContextVar[str | None] = ContextVar("wangge_user_language", default=None)


def as_language(value: str | None) -> Language | None:
    """`zh-CN` for any Chinese tag (zh, zh-CN, zh-Hans…), `en` for any English one, None for anything else."""
    tag = (value or "").strip().lower()
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-CN"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def negotiate(accept_language: str | None) -> Language | None:
    """The language of the service an `Accept-Language` header prefers most (q-values respected), or None."""
    ranked: list[tuple[float, int, Language]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, rest = item.partition(";")
        quality = 1.0
        for param in rest.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = as_language(tag)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def request_language(accept_language: str | None) -> Language:
    """The language to answer in: Accept-Language, else the signed-in user's, else Chinese."""
    return negotiate(accept_language) or as_language(user_language.get()) or DEFAULT_LANGUAGE


# code → {language: template}. Every code the service can send is here (tests/ops/test_messages.py).
PROBLEMS: dict[str, dict[Language, str]] = {
    "account-deactivated": {"zh-CN": "该账号已停用", "en": "This account has been deactivated"},
    "action-not-allowed": {
        "zh-CN": "事项当前的状态不允许此操作",
        "en": "This action is not allowed in the matter's current state",
    },
    "already-decided": {"zh-CN": "该事项已议定", "en": "This item has already been decided"},
    "already-signed": {"zh-CN": "当日日志已签字确认", "en": "The day's log is already signed"},
    "application-limit": {
        "zh-CN": "该类别的延期/缓办次数已用完",
        "en": "This category allows no more extensions or suspensions of this kind",
    },
    "assessment-level": {"zh-CN": "这一层级没有这项考核统计", "en": "This level has no such assessment figures"},
    "assessment-period": {"zh-CN": "统计周期不正确", "en": "The period is not valid"},
    "assessment-unit-not-found": {
        "zh-CN": "找不到这个单位，或不在你的范围内",
        "en": "No such unit, or it is outside your area",
    },
    "bad-photo": {"zh-CN": "照片无法识别，请换一张", "en": "The photo could not be read; try another one"},
    "bad-request": {"zh-CN": "请求有误", "en": "The request is not valid"},
    "both-away": {"zh-CN": "A/B岗双方将同时不在岗", "en": "Both A/B partners would be away at the same time"},
    "busy": {"zh-CN": "系统繁忙，请稍后重试", "en": "The service is busy; retry in a moment"},
    "checklist-code-taken": {"zh-CN": "该检查表编码已存在", "en": "A checklist with this code exists already"},
    "conflict": {"zh-CN": "与现有数据冲突", "en": "This conflicts with existing data"},
    "control-character": {
        "zh-CN": "内容含有不可见的控制字符，请删除后重试",
        "en": "The text contains invisible control characters; remove them and try again",
    },
    "personal-data-key-mismatch": {
        "zh-CN": "个人信息无法解密：当前密钥与保存时不同，请管理员恢复原密钥",
        "en": "Personal data cannot be decrypted: the key is not the one it was stored with; restore that key",
    },
    "database-unavailable": {
        "zh-CN": "数据库暂时无法连接，请稍后重试",
        "en": "The database cannot be reached just now; retry in a moment",
    },
    "disposition-derived": {
        "zh-CN": "该项的处理结果由其状态决定，无需填写",
        "en": "This item's disposition follows from its status",
    },
    "edit-conflict": {
        "zh-CN": "该记录同时被他人修改，请刷新后重试",
        "en": "The record was changed by someone else at the same moment; reload it and retry",
    },
    "forbidden": {"zh-CN": "没有权限执行此操作", "en": "You are not allowed to do this"},
    "grid-has-staff": {
        "zh-CN": "该网格仍有网格长或网格员，请先调走",
        "en": "The grid still has a grid leader or staff accounts; move them to another grid first",
    },
    "grids-not-adjacent": {
        "zh-CN": "两个网格不相邻，不能合并",
        "en": "The grids are not adjacent, so they cannot be merged",
    },
    "hazard-status": {"zh-CN": "隐患当前的状态不允许此变更", "en": "The hazard cannot change to that status now"},
    "idempotency-key-reused": {
        "zh-CN": "重复提交的内容不一致，请重新提交",
        "en": "This Idempotency-Key was already used with a different request body",
    },
    "import-headers": {
        "zh-CN": "文件第一行须为模板的列名，请使用下载的模板",
        "en": "The first row must name the template's columns: use the downloaded template",
    },
    "import-rejected": {
        "zh-CN": "有 {rows} 行有误，未导入任何内容；请改正后重新上传",
        "en": "{rows} row(s) are wrong; nothing was imported",
    },
    "import-too-large": {
        "zh-CN": "文件过大（最多 {megabytes} MB、{rows} 行）",
        "en": "The file is too large (at most {megabytes} MB, {rows} rows)",
    },
    "internal-server-error": {
        "zh-CN": "服务器出错，已记录，请稍后重试",
        "en": "An unexpected error occurred; it has been logged.",
    },
    "invalid": {"zh-CN": "提交的内容有误", "en": "Some of what you sent is not valid"},
    "invalid-credentials": {"zh-CN": "用户名或密码错误", "en": "Wrong username or password"},
    "invalid-refresh-token": {"zh-CN": "登录凭证无效，请重新登录", "en": "The refresh token is not valid"},
    "items-without-disposition": {
        "zh-CN": "还有 {count} 项未填写处理结果",
        "en": "{count} item(s) have no disposition yet",
    },
    "matter-not-resolved": {"zh-CN": "关联的事项尚未办结", "en": "The linked matter is not resolved yet"},
    "meeting-closed": {"zh-CN": "会议已结束", "en": "The meeting is closed"},
    "merge-target": {
        "zh-CN": "合并目标须是本社区另一件未办结的事项，请核对编号",
        "en": "Merge into an open matter of the same community",
    },
    "method-not-allowed": {"zh-CN": "不支持此操作", "en": "This operation is not supported"},
    "not-adjacent": {
        "zh-CN": "两个网格不相邻，不能结为A/B岗（相距 {distance_m} 米）",
        "en": "The two grids are not adjacent ({distance_m} m apart), so they cannot be A/B partners",
    },
    "not-found": {"zh-CN": "请求的内容不存在，或不在你的范围内", "en": "Not found"},
    "not-ready": {"zh-CN": "系统暂不可用，请稍后重试", "en": "The service is not ready, please try again later"},
    "not-xlsx": {"zh-CN": "不是 Excel 文件（.xlsx）", "en": "The file is not an Excel workbook (.xlsx)"},
    "outside-grid": {
        "zh-CN": "所选位置不在服务网格内，请移动定位",
        "en": "The place is not inside any grid",
    },
    "outside-your-grids": {
        "zh-CN": "该位置不在您负责的网格内，请转告所属网格或服务站",
        "en": "The place is not in one of your grids; tell that grid or the station",
    },
    "own-password": {
        "zh-CN": "修改自己的密码请在“我的”中进行（需输入当前密码）",
        "en": "Change your own password yourself (you will be asked for the current one)",
    },
    "password-change-required": {
        "zh-CN": "您的密码已被管理员重置，请先设置新密码",
        "en": "Your password was reset: choose a new one before anything else",
    },
    "patrol-ended": {"zh-CN": "巡查已结束", "en": "The patrol has ended"},
    "payload-too-large": {"zh-CN": "提交的内容过大", "en": "What you sent is too large"},
    "point-outside-grid": {
        "zh-CN": "位置不在本网格内，请在网格范围内选点",
        "en": "The point is outside this grid: choose one inside it",
    },
    "precondition-failed": {
        "zh-CN": "内容已被他人更新，请刷新后重试",
        "en": "Someone else changed this record; reload it and try again",
    },
    "precondition-required": {
        "zh-CN": "缺少版本信息（If-Match），请刷新后重试",
        "en": "The record's version (If-Match) is missing; reload it and try again",
    },
    "refresh-token-reused": {
        "zh-CN": "该登录凭证已被使用过，为安全起见已退出，请重新登录",
        "en": "This refresh token was already used; the session has been ended for safety. Sign in again",
    },
    "same-password": {"zh-CN": "新密码不能与当前密码相同", "en": "Choose a password different from the current one"},
    "scheme-bands": {"zh-CN": "黄色线不能高于绿色线", "en": "The yellow band starts above the green one"},
    "scheme-default": {
        "zh-CN": "全区默认方案只能由区级管理员设置",
        "en": "The district-wide default is set by an administrator of the district",
    },
    "scheme-effective-from": {
        "zh-CN": "方案须从某月 1 日起生效",
        "en": "A scheme takes effect on the first day of a month",
    },
    "scheme-indicator": {
        "zh-CN": "方案中有未知或重复的指标",
        "en": "The scheme names an unknown or repeated indicator",
    },
    "scheme-month-frozen": {
        "zh-CN": "该月已按当时的方案封存，新版本请从尚未封存的月份起生效",
        "en": "That month is already frozen with the scheme that scored it: choose a month not frozen yet",
    },
    "scheme-weights": {
        "zh-CN": "各指标权重之和为 {total}，必须等于 100",
        "en": "The weights sum to {total}, not 100",
    },
    "session-ended": {"zh-CN": "登录已结束，请重新登录", "en": "The session has ended; sign in again"},
    "split-not-two-parts": {
        "zh-CN": "切分线须横穿网格，只穿过一次",
        "en": "Draw the cut from one edge of the grid to the other, crossing it once",
    },
    "storage-unavailable": {
        "zh-CN": "照片存储暂时不可用，请稍后重试",
        "en": "The photo storage is not reachable; try again in a moment",
    },
    "task-done": {"zh-CN": "该检查任务已完成", "en": "The inspection task is already done"},
    "too-many-attempts": {
        "zh-CN": "尝试次数过多，请 {retry_after} 秒后再试",
        "en": "Too many attempts; try again in {retry_after} s",
    },
    "unauthorized": {"zh-CN": "请先登录", "en": "Sign in first"},
    "unsupported-media-type": {"zh-CN": "不支持此文件类型", "en": "This file type is not supported"},
    "validation-error": {
        "zh-CN": "提交的内容有误，请检查：{fields}",
        "en": "The request is not valid: {fields}",
    },
    "write-conflict": {
        "zh-CN": "相同数据同时被他人修改，请刷新后重试",
        "en": "Another request changed the same data at the same moment; reload and retry",
    },
    "wrong-password": {"zh-CN": "当前密码不正确", "en": "The current password is wrong"},
    # Issue 13: the desk map's layers, my day, the duty phones, after photos, who is my grid and the poster.
    "map-bbox-invalid": {
        "zh-CN": "地图范围不正确（南、西、北、东四个数）",
        "en": "The map box is not valid (south, west, north, east)",
    },
    "map-layers-invalid": {"zh-CN": "没有这个图层", "en": "Unknown map layer"},
    "note-required": {"zh-CN": "请填写说明", "en": "Add a note"},
    "phone-invalid": {"zh-CN": "电话号码格式不正确", "en": "The phone number is not valid"},
    "poster-font-missing": {
        "zh-CN": "服务器缺少中文字体，暂时无法生成海报，请联系系统管理员",
        "en": "The server has no Chinese font, so the poster cannot be made",
    },
    "unknown-photo": {"zh-CN": "照片无效，请重拍", "en": "The photo is not yours or already used"},
    "who-query": {
        "zh-CN": "请选择社区、楼栋，或在地图上点选一个位置（只选一种）",
        "en": "Give one of: a point, a building or a community",
    },
    # The registries 一标三实 (registries/).
    "id-number-invalid": {
        "zh-CN": "身份证号码不正确（应为18位，校验位须符合GB 11643）",
        "en": "The identity number is not a valid 18-character number (GB 11643)",
    },
    "id-number-exists": {
        "zh-CN": "该身份证号码已登记",
        "en": "A person with this identity number is already registered",
    },
    "building-not-in-grid": {"zh-CN": "该楼栋不在本网格", "en": "The building is not one of this grid's"},
    "address-exists": {"zh-CN": "该地址已登记", "en": "This address is already registered"},
    "special-group-unknown": {"zh-CN": "特殊群体类别不存在", "en": "Unknown special group"},
    "house-not-in-grid": {"zh-CN": "该房屋不在本网格", "en": "The house is not one of this grid's"},
    "person-not-in-grid": {"zh-CN": "该人员不在本网格", "en": "The person is not one of this grid's"},
    "person-deceased": {"zh-CN": "该人员已登记死亡", "en": "This person's death is recorded"},
    "move-before-residency": {
        "zh-CN": "日期早于其入住现住址的日期",
        "en": "The day is before they moved in where they live now",
    },
    "house-required": {"zh-CN": "请选择迁入的房屋", "en": "Name the house they move into"},
    "not-living-here": {"zh-CN": "该人员现已不在本网格居住", "en": "They do not live in the grid now"},
    "tenancy-exists": {"zh-CN": "该人员已租住此房屋", "en": "This person already rents this house"},
    "tenancy-ended": {"zh-CN": "该租赁已结束", "en": "The tenancy has ended"},
    "tenancy-dates": {"zh-CN": "租赁结束日期不能早于开始日期", "en": "A tenancy cannot end before it starts"},
    "personal-data-forbidden": {
        "zh-CN": "你的角色无权查看或导出未脱敏的个人信息",
        "en": "Your role may not read or export personal data unmasked",
    },
    # Issue 14: supplies in reserve and the duty roster.
    "reserve-short": {"zh-CN": "库存不足，无法出库这么多", "en": "Not enough in stock for this"},
    "reserve-inactive": {"zh-CN": "该物资已停用", "en": "The item is deactivated"},
    "duty-phone-personal": {
        "zh-CN": "值班电话不能填写本人未同意公开的个人手机",
        "en": "The duty phone may not be a personal phone its owner has not allowed on public pages",
    },
    # Issue 14: household sweeps 逐户排查.
    "sweep-closed": {"zh-CN": "该排查已结束，不再接受排查结果", "en": "This sweep is closed: it takes no more ticks"},
    "sweep-not-started": {"zh-CN": "该排查尚未开始", "en": "This sweep has not started yet"},
    "sweep-note-required": {"zh-CN": "结果为异常时请填写情况说明", "en": "Say what is abnormal"},
    "sweep-dates": {"zh-CN": "排查时间有误（截止日期不能早于开始日期或今天）", "en": "The sweep's dates are wrong"},
}
# The message of a code whose template names fields, for a problem that does not give them.
WITHOUT_FIELDS: dict[str, dict[Language, str]] = {
    "import-rejected": {
        "zh-CN": "有的行有误，未导入任何内容；请改正后重新上传",
        "en": "Some rows are wrong; nothing was imported",
    },
    "import-too-large": {"zh-CN": "文件过大", "en": "The file is too large"},
    "items-without-disposition": {"zh-CN": "还有事项未填写处理结果", "en": "Some items have no disposition yet"},
    "not-adjacent": {
        "zh-CN": "两个网格不相邻，不能结为A/B岗",
        "en": "The two grids are not adjacent, so they cannot be A/B partners",
    },
    "scheme-weights": {"zh-CN": "各指标权重之和必须等于 100", "en": "The weights must add up to 100"},
    "too-many-attempts": {"zh-CN": "尝试次数过多，请稍后再试", "en": "Too many attempts; try again later"},
    "validation-error": {"zh-CN": "提交的内容有误", "en": "The request is not valid"},
}
# A code the catalog does not know (it should: the test says so) still gets a sentence in the language asked.
FALLBACK: dict[Language, str] = {"zh-CN": "请求未能完成", "en": "The request could not be completed"}


def detail(code: str, language: Language, *, given: str | None = None, fields: Mapping[str, Any] = {}) -> str:
    """The problem's detail in `language`: in English the raiser's own detail (`given`) when there is one, else the
    code's template filled from `fields` (its message without them when they are not all given)."""
    if language == "en" and given:
        return given
    template = PROBLEMS.get(code, FALLBACK)[language]
    try:
        return template.format_map(fields)
    except (KeyError, IndexError, ValueError):
        log.debug("the %s template of %s lacks a field", language, code)
        return WITHOUT_FIELDS.get(code, FALLBACK)[language]


# --- field errors of a request that is not valid (422 validation-error), by pydantic's error type -----------------
FIELD_MESSAGES: dict[str, dict[Language, str]] = {
    "missing": {"zh-CN": "必填", "en": "Field required"},
    "string_too_short": {"zh-CN": "至少 {min_length} 个字符", "en": "At least {min_length} characters"},
    "string_too_long": {"zh-CN": "最多 {max_length} 个字符", "en": "At most {max_length} characters"},
    "string_pattern_mismatch": {"zh-CN": "格式不正确", "en": "Not in the expected format"},
    "string_type": {"zh-CN": "须为文字", "en": "Must be text"},
    "int_parsing": {"zh-CN": "须为整数", "en": "Must be a whole number"},
    "int_type": {"zh-CN": "须为整数", "en": "Must be a whole number"},
    "int_from_float": {"zh-CN": "须为整数", "en": "Must be a whole number"},
    "float_parsing": {"zh-CN": "须为数字", "en": "Must be a number"},
    "float_type": {"zh-CN": "须为数字", "en": "Must be a number"},
    "bool_parsing": {"zh-CN": "须为是或否", "en": "Must be true or false"},
    "bool_type": {"zh-CN": "须为是或否", "en": "Must be true or false"},
    "greater_than": {"zh-CN": "须大于 {gt}", "en": "Must be greater than {gt}"},
    "greater_than_equal": {"zh-CN": "不能小于 {ge}", "en": "Must be at least {ge}"},
    "less_than": {"zh-CN": "须小于 {lt}", "en": "Must be less than {lt}"},
    "less_than_equal": {"zh-CN": "不能大于 {le}", "en": "Must be at most {le}"},
    "too_short": {"zh-CN": "至少 {min_length} 项", "en": "At least {min_length} items"},
    "too_long": {"zh-CN": "最多 {max_length} 项", "en": "At most {max_length} items"},
    "literal_error": {"zh-CN": "取值须为：{expected}", "en": "Must be one of: {expected}"},
    "enum": {"zh-CN": "取值须为：{expected}", "en": "Must be one of: {expected}"},
    "date_parsing": {"zh-CN": "日期格式不正确", "en": "Not a valid date"},
    "date_from_datetime_parsing": {"zh-CN": "日期格式不正确", "en": "Not a valid date"},
    "datetime_parsing": {"zh-CN": "时间格式不正确", "en": "Not a valid date and time"},
    "datetime_from_date_parsing": {"zh-CN": "时间格式不正确", "en": "Not a valid date and time"},
    "json_invalid": {"zh-CN": "不是有效的 JSON", "en": "Not valid JSON"},
    "extra_forbidden": {"zh-CN": "不接受此字段", "en": "This field is not accepted"},
    "value_error": {"zh-CN": "取值不正确", "en": "Not a valid value"},
}
FIELD_FALLBACK: dict[Language, str] = {"zh-CN": "取值不正确", "en": "Not a valid value"}


def field_message(error_type: str, language: Language, *, given: str, context: Mapping[str, Any] | None) -> str:
    """One field error's `msg` in `language`: pydantic's own (English) message in English, the catalog's otherwise."""
    if language == "en":
        return given
    template = FIELD_MESSAGES.get(error_type, FIELD_FALLBACK)[language]
    try:
        return template.format_map(context or {})
    except (KeyError, IndexError, ValueError):
        return FIELD_FALLBACK[language]


# --- notifications: their title and body in each language; the recipient's language picks one (notify/worker.py) ---
Text = dict[Language, str]

# The words notifications are made of, for the English text (the Chinese ones are where the domain keeps them).
MATTER_STATUS_EN = {
    "submitted": "submitted",
    "accepted": "accepted",
    "at_station": "at the station",
    "escalated": "escalated",
    "handling": "in hand",
    "emergency": "emergency response",
    "approval_review": "street review",
    "approval_decision": "department approval",
    "public_notice": "public notice",
    "verifying": "awaiting verification",
    "resolved": "resolved",
    "closed": "closed",
    "merged": "merged",
}
STEP_EN = {
    "contact": "contacted first",
    "apply_extension": "extension asked",
    "apply_suspension": "suspension asked",
    "approve_application": "application approved",
    "refuse_application": "application refused",
    "mediate": "mediation recorded",
    "coordinate": "co-operation agreed",
    "record_part": "co-operation recorded",
}
SOURCE_EN = {"resident": "Resident's report", "open311": "Resident's report", "hotline": "12345 hotline order"}

NOTICES: dict[str, Text] = {
    "matter-new": {"zh-CN": "{source} {code}", "en": "{source} {code}"},
    "matter-body": {"zh-CN": "{category}：{text}", "en": "{category}: {text}"},
    "matter-step": {"zh-CN": "{code} {step}", "en": "{code} {step}"},
    "matter-moved": {"zh-CN": "{code} {before} → {after}", "en": "{code} {before} → {after}"},
    "matter-overdue": {"zh-CN": "超时督办 {code}", "en": "Overdue {code}"},
    "contact-late": {"zh-CN": "先行联系超时 {code}", "en": "First contact late {code}"},
    "contact-late-body": {"zh-CN": "请尽快联系诉求人并记录", "en": "Contact the reporter soon and record it"},
    "triage-assigned": {"zh-CN": "研判交办 {code}", "en": "Triage assignment {code}"},
    "supervised": {"zh-CN": "督办 {code}", "en": "Supervision {code}"},
    "log-remark": {"zh-CN": "督查意见 {what}", "en": "Review remark {what}"},
    "incident-raised": {"zh-CN": "突发事件 {code}（{level}级）", "en": "Emergency {code} (level {level})"},
    "incident-report": {"zh-CN": "{kind} {code}", "en": "{kind} {code}"},
    "activation": {"zh-CN": "出动通知 {code} {tier}", "en": "Call-out {code} {tier}"},
    "activation-body": {
        "zh-CN": "{title} · {place}：请确认并于{minutes}分钟内到场",
        "en": "{title} · {place}: confirm and be there within {minutes} minutes",
    },
    "bulletin": {"zh-CN": "{street} {month}考核通报", "en": "{street} assessment bulletin {month}"},
    "bulletin-body": {"zh-CN": "已生成，超期事项 {overdue} 件", "en": "Published; {overdue} matter(s) overdue"},
    "reserve-alert": {"zh-CN": "应急物资{what}：{name}", "en": "Reserve {what}: {name}"},
    "warning": {"zh-CN": "{level}预警：{kind}", "en": "{level} warning: {kind}"},
    "warning-lifted": {"zh-CN": "解除{level}预警：{kind}", "en": "Lifted: {level} warning: {kind}"},
}


def notice(key: str, **fields: Any) -> Text:
    """A notification's text in every language; a field given as a Text ({"zh-CN": …, "en": …}) is taken in each."""
    out: Text = {}
    for language in LANGUAGES:
        values = {
            k: v.get(language, v.get(DEFAULT_LANGUAGE, "")) if isinstance(v, dict) else v for k, v in fields.items()
        }
        out[language] = NOTICES[key][language].format_map(values)
    return out


def both(zh: str, en: str) -> Text:
    return {"zh-CN": zh, "en": en}


def in_language(text: str | Mapping[str, str], language: str | None) -> str:
    """The text for a recipient: a plain text as it is, a Text in their language (else Chinese)."""
    if isinstance(text, str):
        return text
    return text.get(as_language(language) or DEFAULT_LANGUAGE) or text.get(DEFAULT_LANGUAGE) or ""
