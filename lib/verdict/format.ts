/** Number formatting shared by the verdict's notes and the reports (which import it from here). */

function groupThousands(n: number): string {
  const [int, frac] = Math.abs(n).toString().split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + grouped + (frac ? `.${frac}` : '');
}

/** A number with sensible precision: small values keep 3 significant digits. */
export function formatNumber(n: number, maxDecimals = 2): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 10 ** -maxDecimals) return n.toPrecision(3).replace(/\.?0+(e|$)/, '$1');
  const fixed = Number(n.toFixed(maxDecimals));
  return groupThousands(fixed);
}
