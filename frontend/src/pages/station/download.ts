// Files fetched with the token (an XLSX is saved, a printable page opens in a new tab).
export function saveBlob(blob: Blob, filename: string, open = false) {
  const url = URL.createObjectURL(blob)
  if (open) {
    window.open(url, '_blank')
  } else {
    const a = document.createElement('a')
    a.href = url
    a.download = filename
    a.click()
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
