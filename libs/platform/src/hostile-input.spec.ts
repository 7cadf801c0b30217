import fc from 'fast-check';
import { hostileInput, MAX_INPUT_DEPTH, storableText, unstorableText } from './hostile-input';

describe('hostile input: what no request may carry', () => {
  it('names a NUL character wherever it sits in the body, the way the validation pipe names fields', () => {
    expect(hostileInput({ caseReference: 'AB\u0000C', children: [{ name: 'ok' }, { name: 'x\u0000' }] }, '')).toEqual([
      { field: 'caseReference', message: 'caseReference contains a NUL character (U+0000), which cannot be stored' },
      { field: 'children.1.name', message: 'children.1.name contains a NUL character (U+0000), which cannot be stored' },
    ]);
  });

  it('refuses the keys that reach the prototype, at any depth, before class-transformer sees them', () => {
    const body = JSON.parse('{"x":{"constructor":{"prototype":{}}},"y":[{"__proto__":{"admin":true}}]}');
    expect(hostileInput(body, '').map((p) => p.field)).toEqual(['x.constructor', 'y.0.__proto__']);
  });

  it('refuses numbers that are not exact (JSON 1e400 is Infinity) and nesting deeper than the limit', () => {
    expect(hostileInput(JSON.parse('{"weeks":1e400,"page":12345678901234567890}'), '')).toEqual([
      { field: 'weeks', message: 'weeks is not a finite number' },
      { field: 'page', message: 'page is too large (beyond ±9007199254740991)' },
    ]);
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000));
    const [problem] = hostileInput({ a: deep }, '');
    expect(problem.message).toMatch(new RegExp(`is nested deeper than ${MAX_INPUT_DEPTH} levels$`));
    expect(hostileInput({ a: JSON.parse('['.repeat(MAX_INPUT_DEPTH - 1) + ']'.repeat(MAX_INPUT_DEPTH - 1)) }, '')).toEqual([]);
  });

  it('refuses unpaired surrogates but keeps real characters outside the basic plane', () => {
    expect(unstorableText('\uD83D\uDE00 family')).toBeUndefined();
    expect(unstorableText('broken \uD83D here')).toMatch(/unpaired UTF-16 surrogate/);
    expect(unstorableText('\uDE00')).toMatch(/unpaired/);
  });

  it('lets ordinary requests through untouched', () => {
    expect(hostileInput({ openedOn: '2026-11-02', children: [{ name: 'Zoë Ó Briain', weeks: 26, seen: true, note: null }] }, '')).toEqual(
      [],
    );
  });

  it('makes any text storable for the audit, and a storable text stays as it was', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(unstorableText(storableText(text))).toBeUndefined();
        if (!unstorableText(text)) expect(storableText(text)).toBe(text);
      }),
      { seed: 20261206, numRuns: 2000 },
    );
  });
});
