// Wording shared by the CLI and the extension.

/** "1 file", "3 files": a count with its noun, in the plural unless it is one. */
export const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** A JSON type as a sentence names it: "an object", "an array", "a string", "null". */
export const jsonTypeInWords = (type: string): string => (type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`);
