// The words of the resident's report map, my reports and the tracking page's progress bar (issue 13), fetched with
// those pages (the report page is a first screen: only what it shows is here).
export default {
  resident: {
    search: '查找',
    searchPlaceholder: '输入楼栋、小区或单位名称',
    noPlaces: '没有找到，请换个名称或在地图上点选',
    inGrid: '属于{community} {grid}',
    outside: '此处不在服务网格内。',
    callStation: '请致电{community}服务站：',
    askStation: '请联系{community}服务站。',
    nearbyTitle: '附近已有人反映',
    nearbyHint: '如果是同一个问题，点“我也遇到”即可，无需重复提交',
    distance: '{m} 米',
    supporters: '{n} 人也遇到',
    meToo: '我也遇到',
    supported: '已记录',
    supportThanks: '已记录，感谢您的反馈',
    supportAfter: '已记录。您可以在“我的反映”中查看自己提交的问题。',
    mine: '我的反映',
    mineHint: '本机提交过的问题（仅保存在这部手机上）',
    mineEmpty: '本机还没有提交过问题',
    mineGone: '查询不到这条记录',
    mineFailed: '暂时无法获取进度',
    forget: '移除',
  },
  track: {
    progress: {
      received: '受理',
      handling: '处理中',
      done: '办结',
      rated: '评价',
      due: '“{step}”预计于 {at} 前完成',
    },
  },
}
