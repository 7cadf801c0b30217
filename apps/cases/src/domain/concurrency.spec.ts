import { HttpException } from '@nestjs/common';
import { assertVersion, etagOf, versionsIn } from './concurrency';

const statusOf = (check: () => void): number | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as HttpException).getStatus();
  }
};

describe('optimistic concurrency', () => {
  it('ETags are the quoted version, and If-Match accepts strong, weak, bare and listed tags', () => {
    expect(etagOf(7)).toBe('"7"');
    expect(versionsIn('"7"')).toEqual([7]);
    expect(versionsIn('W/"7", "8"')).toEqual([7, 8]);
    expect(versionsIn('7')).toEqual([7]);
    expect(versionsIn('*')).toBe('*');
    expect(versionsIn('"abc"')).toEqual([]);
  });

  it('lets a write through at the current version, or with *', () => {
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 3, ifMatch: '"3"', required: true }))).toBeUndefined();
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 3, ifMatch: '*', required: true }))).toBeUndefined();
  });

  it('refuses a stale version with 412 naming the current one', () => {
    try {
      assertVersion({ what: 'case x', currentVersion: 4, ifMatch: '"3"', required: false });
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as HttpException).getStatus()).toBe(412);
      expect((error as HttpException).getResponse()).toMatchObject({ currentVersion: 4, message: expect.stringContaining('version 4') });
    }
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 4, ifMatch: 'garbage', required: true }))).toBe(412);
  });

  it('requires If-Match (428) only where the write edits the record', () => {
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 1, ifMatch: undefined, required: true }))).toBe(428);
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 1, ifMatch: ' ', required: true }))).toBe(428);
    expect(statusOf(() => assertVersion({ what: 'case x', currentVersion: 1, ifMatch: undefined, required: false }))).toBeUndefined();
  });
});
