// The who-is-my-grid page's and the posters' words in English (see ./zh-CN.ts).
export default {
  who: {
    title: 'My grid',
    intro: 'Choose your community, or tap the map or use your location, to see the grid leader in charge and how to call them.',
    pick: 'Community',
    pickPlaceholder: 'Choose a community',
    loading: 'Looking up…',
    gridCode: 'Grid code',
    leader: 'Grid leader',
    noLeader: 'No grid leader at the moment',
    phone: 'Phone',
    noPhone: 'No public phone: call the service station',
    covering: 'Standing in',
    coveringOf: 'leader of {grid}',
    station: 'Service station',
    stationPhone: 'Duty phone',
    noStationPhone: 'No duty phone yet',
    wholeCommunity: 'Tap a place on the map to see the grid in charge of it.',
    outsideGrid: 'This place is in {community} but in no grid: call the community’s service station.',
    outsideNearest: 'This place is in no community; the nearest is {community}.',
    unknown: 'This place is outside the area this service covers.',
    report: 'Report a problem',
    board: 'Community board',
    privacy: 'Only the grids’ duty numbers are published; a personal phone only with its owner’s consent.',
    errors: {
      'not-found': 'No such building or community (it may have been retired)',
      'too-many-attempts': 'Too many lookups; wait a moment',
    },
  },
  poster: {
    print: 'Print the grid poster',
    png: 'PNG image',
    pdf: 'PDF file',
    saved: 'Poster downloaded',
  },
  errors: {
    codes: {
      'who-query': 'Choose a community, or tap a place on the map',
      'poster-font-missing': 'The server has no Chinese font, so the poster cannot be made; ask the system administrator',
    },
  },
}
