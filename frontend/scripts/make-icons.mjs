// Writes the app icons into public/: PNG (192, 512, 180 for iOS) and the SVG they are drawn from.
// A blue rounded square with a white 3×3 grid: 网格 means "grid". Pure Node (zlib), no image library.
// Run with `npm run icons`; the outputs are committed.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const BLUE = [0x16, 0x77, 0xff]
const WHITE = [0xff, 0xff, 0xff]
const out = new URL('../public/', import.meta.url)

// Geometry on a 512 unit canvas, shared by the SVG and the raster.
const RADIUS = 112 // corner radius of the background
const GRID = { x: 112, y: 112, size: 288, line: 24 } // outer square of the grid and its stroke width

function crcTable() {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}
const CRC = crcTable()
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** Coverage (0..1) of the shape at canvas point (x, y), in 512 units: [alpha, isWhite]. */
function sample(x, y) {
  // Rounded-square background.
  const cx = Math.min(Math.max(x, RADIUS), 512 - RADIUS)
  const cy = Math.min(Math.max(y, RADIUS), 512 - RADIUS)
  const inside = (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2 && x >= 0 && y >= 0 && x <= 512 && y <= 512
  if (!inside) return null
  const { x: gx, y: gy, size, line } = GRID
  const half = line / 2
  const cells = [0, 1, 2, 3].map((i) => gx + (size * i) / 3)
  const inGridBox = x >= gx - half && x <= gx + size + half && y >= gy - half && y <= gy + size + half
  const onVertical = cells.some((c) => Math.abs(x - c) <= half)
  const onHorizontal = cells.map((c) => c - gx + gy).some((c) => Math.abs(y - c) <= half)
  return inGridBox && (onVertical || onHorizontal) ? WHITE : BLUE
}

function png(size) {
  const SS = 4 // supersampling for smooth corners
  const rows = []
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const colour = sample(((px + (sx + 0.5) / SS) * 512) / size, ((py + (sy + 0.5) / SS) * 512) / size)
          if (colour) {
            r += colour[0]
            g += colour[1]
            b += colour[2]
            a += 1
          }
        }
      const o = 1 + px * 4
      if (a) {
        row[o] = Math.round(r / a)
        row[o + 1] = Math.round(g / a)
        row[o + 2] = Math.round(b / a)
      }
      row[o + 3] = Math.round((a / (SS * SS)) * 255)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function svg() {
  const { x, y, size, line } = GRID
  const lines = [0, 1, 2, 3]
    .map((i) => x + (size * i) / 3)
    .map((c) => `<path d="M${c} ${y - line / 2}V${y + size + line / 2}M${x - line / 2} ${c - x + y}H${x + size + line / 2}"/>`)
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><title>网格 Wangge</title><rect width="512" height="512" rx="${RADIUS}" fill="#1677ff"/><g stroke="#fff" stroke-width="${line}" fill="none">${lines}</g></svg>\n`
}

for (const [name, size] of [['icon-192.png', 192], ['icon-512.png', 512], ['apple-touch-icon.png', 180]]) {
  writeFileSync(new URL(name, out), png(size))
}
writeFileSync(new URL('icon.svg', out), svg())
writeFileSync(new URL('favicon.svg', out), svg())
console.log('icons written to public/')
