// A stable colour per community: the same id always gets the same colour, on every device, without a table.
// Hues step by the golden angle so that neighbouring ids (usually neighbouring communities) differ strongly.

const GOLDEN_ANGLE = 137.50776405003785

function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100
  const light = l / 100
  const k = (n: number) => (n + h / 30) % 12
  const a = sat * Math.min(light, 1 - light)
  const channel = (n: number) => {
    const value = light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)))
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0')
  }
  return `#${channel(0)}${channel(8)}${channel(4)}`
}

/** `#rrggbb` for a community id; readable on a light map and as a legend swatch. */
export function communityColour(communityId: number): string {
  const n = Math.abs(Math.trunc(communityId))
  const hue = (n * GOLDEN_ANGLE) % 360
  // Alternate lightness by turn of the colour wheel, so ids whose hues come round close together still differ.
  const turn = Math.floor((n * GOLDEN_ANGLE) / 360)
  const lightness = [42, 32, 52][turn % 3]
  return hslToHex(hue, 70, lightness)
}
