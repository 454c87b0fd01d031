// The words of the desk map's layers (事项、突发事件、巡查轨迹、隐患 on the map), fetched with the layers panel;
// the hazards' and incidents' kinds are the station section's (fetched with it), the matters' statuses ../zh-CN.ts's.
export default {
  mapLayers: {
    title: '图层',
    names: {
      matters: '开放事项',
      overdue: '超期事项',
      incidents: '突发事件',
      tracks: '今日巡查轨迹',
      hazards: '隐患',
    },
    truncated: '仅显示前 {n} 个，放大地图可看全',
    loadFailed: '图层加载失败',
    category: '类别',
    status: '状态',
    deadline: '办理时限',
    noDeadline: '无时限',
    overdue: '已超期',
    openRecord: '查看详情',
    severity: '事件等级',
    occurredAt: '发生时间',
    place: '地点',
    leader: '巡查人',
    grid: '网格',
    startedAt: '开始时间',
    ongoing: '巡查中',
    distance: '里程',
    distanceKm: '{km} 公里',
    risk: '风险等级',
    fixBy: '整改期限',
    hazardType: '隐患类型',
    approximate: '未标注坐标，显示在所属网格内',
    closePopup: '关闭',
  },
  errors: {
    codes: {
      'map-bbox-invalid': '地图范围有误，请移动地图后重试',
      'map-layers-invalid': '不认识的图层，请刷新页面后重试',
    },
  },
}
