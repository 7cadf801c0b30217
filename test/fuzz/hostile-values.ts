/**
 * The catalogue of hostile values, each with why it is hostile. The generator puts them in body
 * fields, path segments, query values and headers; every one must be refused (4xx) or stored
 * faithfully, and never answered with a 5xx or an internal detail.
 */

/** JSON text spliced into a body as is: what JSON.stringify cannot produce (1e400, a duplicate key). */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface Hostile {
  name: string;
  why: string;
  value: unknown;
}

const hostile = (name: string, why: string, value: unknown): Hostile => ({ name, why, value });
const nested = (depth: number): unknown => (depth === 0 ? 'bottom' : { a: nested(depth - 1) });

/** Values for a JSON field (a body's property, an array item, the body itself). */
export const HOSTILE_JSON_VALUES: Hostile[] = [
  hostile('nul', 'PostgreSQL text cannot hold U+0000', 'before\u0000after'),
  hostile('lone-high-surrogate', 'not a character: invalid UTF-8 once encoded', 'x\uD800y'),
  hostile('lone-low-surrogate', 'not a character: invalid UTF-8 once encoded', '\uDC00'),
  hostile('number-overflow', 'JSON.parse turns 1e400 into Infinity', new RawJson('1e400')),
  hostile('negative-overflow', 'JSON.parse turns -1e400 into -Infinity', new RawJson('-1e400')),
  hostile('beyond-exact-integer', 'above 2^53 integers lose precision', new RawJson('9007199254740993')),
  hostile('int32-overflow', 'overflows an integer column', 2147483648),
  hostile('negative', 'a count or offset below zero', -1),
  hostile('fraction', 'a fraction where an integer is meant', 1.5),
  hostile('negative-zero', '-0 equals 0 but prints differently', new RawJson('-0')),
  hostile('long-string', '100 000 characters: column limits, body limits, regex back-tracking', 'x'.repeat(100_000)),
  hostile('long-unicode', 'astral characters count as two UTF-16 units', '\u{1F600}'.repeat(3000)),
  hostile('empty-string', 'present but empty', ''),
  hostile('whitespace', 'only blanks', '   \t\n'),
  hostile('control-characters', 'C0 controls other than NUL', '\u0001\u0007\u001b[31m\u007f'),
  hostile('bidi-override', 'right-to-left override, zero-width joiner: text that displays differently', 'abc\u202Edef\u200D'),
  hostile('crlf', 'header or log injection if echoed raw', 'a\r\nSet-Cookie: injected=1'),
  hostile('sql-quote', 'breaks out of a string literal if concatenated into SQL', "' OR '1'='1' --"),
  hostile('sql-statement', 'a second statement if concatenated', '1; DROP TABLE cases; --'),
  hostile('sql-union', 'UNION SELECT', "x' UNION SELECT table_name FROM information_schema.tables --"),
  hostile('like-wildcards', 'LIKE metacharacters and a placeholder', '%_\\$1'),
  hostile('path-traversal', 'walks out of a folder if used in a file path', '../../../../etc/passwd'),
  hostile('windows-path', 'a drive path and back-slashes', 'C:\\Windows\\win.ini'),
  hostile('html', 'markup, in case it is echoed into a page', '<script>alert(1)</script>'),
  hostile('prototype-name', 'a name that reaches prototypes if used as a map key', '__proto__'),
  hostile('impossible-date', '30 February', '2026-02-30'),
  hostile('far-date', 'beyond what JavaScript dates can hold', '+275760-09-14'),
  hostile('zero-date', 'year zero, month zero', '0000-00-00'),
  hostile('nil-uuid', 'the nil UUID', '00000000-0000-0000-0000-000000000000'),
  hostile('true', 'a boolean where something else is meant', true),
  hostile('zero', 'a number where something else is meant', 0),
  hostile('null', 'null where a value is required', null),
  hostile('empty-array', 'an array where an object or scalar is meant', []),
  hostile('array-of-strings', 'an array of scalars', ['a', 'b']),
  hostile('empty-object', 'an object where a scalar or array is meant', {}),
  hostile('deep-nesting', 'deeper than the 32 levels the guard allows', nested(40)),
  hostile(
    'very-deep-nesting',
    '3000 levels: a recursive walker would overflow its stack',
    new RawJson(`${'['.repeat(3000)}${']'.repeat(3000)}`),
  ),
  hostile('proto-key', 'an own __proto__ key: Object.assign would replace the prototype', new RawJson('{"__proto__":{"isAdmin":true}}')),
  hostile(
    'constructor-key',
    'constructor.prototype: reaches class machinery',
    new RawJson('{"constructor":{"prototype":{"polluted":true}}}'),
  ),
  hostile('duplicate-keys', 'the same key twice: which one wins?', new RawJson('{"a":1,"a":"two"}')),
];

/** Text for a path segment or a query value (sent percent-encoded unless it says otherwise). */
export const HOSTILE_TEXT: Hostile[] = [
  ...HOSTILE_JSON_VALUES.filter((h) => typeof h.value === 'string' && (h.value as string).length < 20_000),
  hostile('long-segment', '5000 characters in one segment', 'y'.repeat(5000)),
  hostile('not-a-uuid', 'an id in the wrong shape', 'not-a-uuid'),
  hostile('uuid-uppercase', 'a UUID in capitals', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'),
  hostile('uuid-braced', 'a UUID in braces', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'),
  hostile('integer-id', 'a serial where a UUID is meant', '1'),
  hostile('constructor', 'a prototype member as an id', 'constructor'),
  hostile('dot', 'the current folder', '.'),
  hostile('dotdot', 'the parent folder', '..'),
  hostile('encoded-slash', 'a slash inside a segment', 'a/b'),
];

/** Path and query text sent exactly as written (not encoded again): broken percent-escapes and raw NULs. */
export const HOSTILE_RAW_URL_TEXT: Hostile[] = [
  hostile('percent-nul', 'a NUL byte, percent-encoded', 'abc%00def'),
  hostile('lone-percent', 'a malformed escape: decodeURIComponent throws', '%'),
  hostile('bad-escape', 'not hex', '%zz'),
  hostile('invalid-utf8', 'an encoded lone surrogate: not UTF-8', '%ED%A0%80'),
  hostile('overlong-utf8', 'an overlong encoding of "/"', '%C0%AF'),
  hostile('double-encoded-traversal', '..%252f: traversal after a second decode', '..%252f..%252fetc%252fpasswd'),
  hostile('encoded-traversal', '..%2f: traversal after decoding', '..%2f..%2f..%2fetc%2fpasswd'),
];

/** What an If-Match header may be other than the current version. */
export const HOSTILE_IF_MATCH: Hostile[] = [
  hostile('stale', 'an old version', '"0"'),
  hostile('unquoted', 'a version without quotes', '1'),
  hostile('weak', 'a weak validator', 'W/"1"'),
  hostile('star', 'any version', '*'),
  hostile('not-a-number', 'a version that is not a number', '"abc"'),
  hostile('huge', 'a version beyond any integer', '"99999999999999999999999"'),
  hostile('negative-version', 'a version below zero', '"-1"'),
  hostile('list', 'several validators', '"1", "2"'),
];

/** A body that is not the JSON object the operation expects, whatever its fields. */
export const HOSTILE_BODIES: { name: string; why: string; contentType: string; body: string }[] = [
  { name: 'empty-body', why: 'nothing at all', contentType: 'application/json', body: '' },
  { name: 'malformed-json', why: 'truncated JSON', contentType: 'application/json', body: '{"a":' },
  { name: 'nan-token', why: 'NaN is not JSON', contentType: 'application/json', body: '{"a":NaN}' },
  { name: 'single-quotes', why: 'JavaScript, not JSON', contentType: 'application/json', body: "{'a':1}" },
  { name: 'json-null', why: 'the literal null as the body', contentType: 'application/json', body: 'null' },
  { name: 'json-string', why: 'a string as the body', contentType: 'application/json', body: '"text"' },
  { name: 'json-number', why: 'a number as the body', contentType: 'application/json', body: '42' },
  { name: 'json-array', why: 'an array where an object is expected', contentType: 'application/json', body: '[{}]' },
  { name: 'bom', why: 'a byte-order mark before the JSON', contentType: 'application/json', body: '\uFEFF{}' },
  { name: 'text-plain', why: 'the wrong content type', contentType: 'text/plain', body: '{"a":1}' },
  { name: 'form', why: 'a form, not JSON', contentType: 'application/x-www-form-urlencoded', body: 'a=1&__proto__[x]=1' },
  { name: 'csv', why: 'CSV to a JSON route', contentType: 'text/csv', body: 'a,b\n1,2' },
  {
    name: 'xml',
    why: 'XML with an external entity',
    contentType: 'application/xml',
    body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  },
  { name: 'json-charset', why: 'an unsupported charset', contentType: 'application/json; charset=utf-7', body: '{}' },
  {
    name: 'huge-body',
    why: 'two megabytes: above any body limit',
    contentType: 'application/json',
    body: `{"a":"${'z'.repeat(2_000_000)}"}`,
  },
];

/** Serialises a body, splicing RawJson in verbatim. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, v]) => `${JSON.stringify(key)}:${toJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
