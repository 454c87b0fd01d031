// 我的网格 亮证's words (the public who-is-my-grid page and the grids' posters), fetched with the page that shows them:
// no first screen carries them.
export default {
  who: {
    title: '我的网格',
    intro: '选择社区，或在地图上点选位置、使用我的位置，查看负责您所在位置的网格长和联系电话。',
    pick: '选择社区',
    pickPlaceholder: '请选择社区',
    loading: '正在查询…',
    gridCode: '网格编码',
    leader: '网格长',
    noLeader: '暂未配备网格长',
    phone: '联系电话',
    noPhone: '暂无公开电话，请致电服务站',
    covering: '当前代岗',
    coveringOf: '{grid}网格长',
    station: '服务站',
    stationPhone: '值班电话',
    noStationPhone: '暂无值班电话',
    wholeCommunity: '在地图上点选位置，可查看具体负责的网格。',
    outsideGrid: '该位置在{community}，但不在任何网格内，请联系社区服务站。',
    outsideNearest: '该位置不在任何社区内，离它最近的是{community}。',
    unknown: '该位置不在本系统服务的范围内。',
    report: '反映问题',
    board: '社区公示栏',
    privacy: '只公开网格的值班电话；个人电话仅在本人同意时公开。',
    errors: {
      'not-found': '没有找到该楼栋或社区，可能已停用',
      'too-many-attempts': '查询过于频繁，请稍后再试',
    },
  },
  poster: {
    print: '打印亮证海报',
    png: 'PNG图片',
    pdf: 'PDF文件',
    saved: '海报已下载',
  },
  // The app's own messages for the codes these pages can receive (merged into errors.codes).
  errors: {
    codes: {
      'who-query': '请选择社区，或在地图上点选一个位置',
      'poster-font-missing': '服务器缺少中文字体，暂时无法生成海报，请联系系统管理员',
    },
  },
}
