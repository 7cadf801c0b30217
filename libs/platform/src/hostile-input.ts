import type { FieldProblem } from './http-problems';

/** Deeper than any request of ours needs; deep enough nesting would otherwise exhaust the stack. */
export const MAX_INPUT_DEPTH = 32;
/** A request with this many problems is hostile; naming more helps nobody. */
const MAX_PROBLEMS = 10;
/**
 * Keys that reach an object's prototype machinery: class-transformer and any `Object.assign` would
 * treat them as the prototype, not as data ("targetType is not a constructor", or worse).
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const NUL = '\u0000';
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store `text` faithfully, if it could not. */
export function unstorableText(text: string): string | undefined {
  if (text.includes(NUL)) return 'contains a NUL character (U+0000), which cannot be stored';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not a character and cannot be stored';
  return undefined;
}

/** `text` with what PostgreSQL cannot store replaced by U+FFFD, for the audit of a refused request. */
export function storableText(text: string): string {
  return text.replaceAll(NUL, '\uFFFD').replace(new RegExp(UNPAIRED_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * What in a value no request may carry: text PostgreSQL cannot store, keys that reach the prototype,
 * numbers beyond exact integers (JSON's 1e400 parses to Infinity), nesting deeper than
 * MAX_INPUT_DEPTH. Each problem names its field the way the validation pipe does (`children.0.name`).
 */
export function hostileInput(value: unknown, field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  walk(value, field, 0, problems);
  return problems;
}

function walk(value: unknown, field: string, depth: number, problems: FieldProblem[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (typeof value === 'string') {
    const why = unstorableText(value);
    if (why) problems.push({ field, message: `${field} ${why}` });
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push({ field, message: `${field} is not a finite number` });
    else if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
      problems.push({ field, message: `${field} is too large (beyond ±${Number.MAX_SAFE_INTEGER})` });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_INPUT_DEPTH) {
    problems.push({ field, message: `${field} is nested deeper than ${MAX_INPUT_DEPTH} levels` });
    return;
  }
  for (const key of Object.keys(value)) {
    const child = field ? `${field}.${key}` : key;
    const keyProblem = RESERVED_KEYS.has(key) ? 'is a reserved name and cannot be used as a field' : unstorableText(key);
    if (keyProblem) {
      problems.push({ field: storableText(child), message: `${storableText(child)} ${keyProblem}` });
      continue;
    }
    walk((value as Record<string, unknown>)[key], child, depth + 1, problems);
    if (problems.length >= MAX_PROBLEMS) return;
  }
}
