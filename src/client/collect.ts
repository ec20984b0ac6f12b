// In a module of its own, free of zod and the rest of the client, so the extension's eagerly loaded code can use it
// without loading the client at activation.

/** Collects an async iterator (for lists a caller wants whole). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
