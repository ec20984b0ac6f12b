// Grouping into a Map of lists, in one place: copying the list on every add (`[...(map.get(k) ?? []), v]`) made
// grouping quadratic, and 20,000 findings in one file took a minute to print.

/** Appends `value` to the list of `key`, creating it. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
