// Did-you-mean: the closest accepted names to a wrong one.

/** Edit distance (insert, delete, substitute, swap of neighbours), giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? max + 1;
}

/**
 * Accepted names close to `wrong`, best first: a case-insensitive match, then names within a small edit distance
 * (at most a third of the length), then names that contain it or that it contains (`day` → `days`).
 */
export function suggest(wrong: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = wrong.toLowerCase();
  const max = Math.max(1, Math.floor(wrong.length / 3));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    if (c === wrong) continue;
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0;
    else {
      const d = editDistance(lower, cl, max);
      if (d <= max) score = d;
      else if (lower.length >= 3 && (cl.includes(lower) || lower.includes(cl))) score = max + 1;
      else continue;
    }
    scored.push([c, score]);
  }
  return scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0])).slice(0, limit).map(([c]) => c);
}

/** ` Did you mean 'x'?` or ` Did you mean 'x' or 'y'?`, or '' when nothing is close. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `'${s}'`);
  return ` Did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`}?`;
}
