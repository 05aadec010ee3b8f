// Record time as clinicians read it: hh:mm:ss from the record's start.

export function formatTime(seconds: number, withMs = false): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const whole = String(Math.floor(sec)).padStart(2, '0');
  const ms = withMs ? `.${String(Math.floor((sec % 1) * 1000)).padStart(3, '0')}` : '';
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${whole}${ms}`;
}

/** `hh:mm:ss`, `mm:ss` or plain seconds (decimals allowed); null when it is none of those. */
export function parseTime(text: string): number | null {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) return null;
  return parts.reduce((acc, p) => acc * 60 + Number(p), 0);
}
