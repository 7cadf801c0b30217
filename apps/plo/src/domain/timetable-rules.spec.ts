import { parseLocalDate, RulePack } from '@plo/timescales';
import {
  childClockDates,
  decideExtension,
  deadlinesBeforeHearing,
  deadlinesFromIssue,
  draftOrderDeadline,
  furtherCmhDeadline,
  hmctsDisplayDateAfterExtension,
  projectDrift,
} from './timetable-rules';

const d = parseLocalDate;
const pack = RulePack.standard();

describe('per-child clocks (domain.md §2)', () => {
  it('issue on Mon 6 Jan 2025: last day Sun 6 Jul 2025 (issue + 181 days); HMCTS shows Mon 7 Jul 2025 (+26 weeks)', () => {
    const { completion, hmctsDisplay } = childClockDates(d('2025-01-06'), d('2025-01-06'), pack);
    expect(completion.dueDate).toBe('2025-07-06');
    expect(completion.explanation).toContain('26 weeks beginning with issue on Mon 6 Jan 2025 → last day Sun 6 Jul 2025');
    expect(hmctsDisplay.dueDate).toBe('2025-07-07');
  });

  it('HMCTS counts its display date from the submission, not the issue', () => {
    expect(childClockDates(d('2025-01-06'), d('2025-01-03'), pack).hmctsDisplay.dueDate).toBe('2025-07-04');
  });
});

describe('the draft order after a hearing', () => {
  it('is owed 5 calendar days after the hearing, across a leap day', () => {
    expect(draftOrderDeadline(d('2025-01-20'), pack)).toMatchObject({
      kind: 'draft-order-after-hearing',
      deadline: { dueDate: '2025-01-25' },
    });
    expect(draftOrderDeadline(d('2024-02-26'), pack).deadline.dueDate).toBe('2024-03-02');
  });
});

describe("HMCTS's display date after an extension", () => {
  it('"8 weeks" counts from the approving hearing (FPL CaseExtensionService), not from the date shown before', () => {
    // Issued Mon 6 Jan 2025: HMCTS showed Mon 7 Jul 2025. Approved at the hearing of Tue 1 Jul 2025.
    expect(hmctsDisplayDateAfterExtension(d('2025-07-01'), {})).toBe('2025-08-26');
    // The s.32(8) limit counts from the later of the current end and the grant: Sun 31 Aug.
    expect(decideExtension({ currentEndDate: d('2025-07-06'), grantedOn: d('2025-07-01'), eightWeeks: true }, pack)).toMatchObject({
      newEndDate: '2025-08-31',
    });
  });

  it('a second "8 weeks" counts from its own approving hearing again', () => {
    expect(hmctsDisplayDateAfterExtension(d('2025-08-20'), {})).toBe('2025-10-15');
  });

  it('an explicit date is shown as the court gave it', () => {
    expect(hmctsDisplayDateAfterExtension(d('2025-07-01'), { newEndDate: d('2025-08-15') })).toBe('2025-08-15');
  });
});

describe('legal windows from issue (PD12A)', () => {
  it('gatekeeping on Day 2, CMH not before Day 12 nor after Day 18, further CMH by Day 25', () => {
    const [gatekeeping, cmh] = deadlinesFromIssue(d('2025-01-06'), pack);
    expect(gatekeeping).toMatchObject({ kind: 'gatekeeping', deadline: { dueDate: '2025-01-07' } });
    expect(cmh).toMatchObject({ kind: 'case-management-hearing', deadline: { dueDate: '2025-01-23' } });
    expect(cmh.deadline.explanation).toContain('not before Fri 17 Jan 2025');
    expect(furtherCmhDeadline(d('2025-01-06'), pack).deadline.dueDate).toBe('2025-01-30');
  });
});

describe('deadlines counted back from a hearing', () => {
  it("CMH on Wed 23 Apr 2025 (after Easter): advocates' meeting and bundle 2 WD before skip the bank holiday", () => {
    const planned = deadlinesBeforeHearing('case-management', d('2025-04-23'), pack);
    expect(planned.map((p) => [p.kind, p.deadline.dueDate])).toEqual([
      ['cmh-advocates-meeting', '2025-04-17'],
      ['hearing-bundle', '2025-04-17'],
      ['hearing-case-summary', '2025-04-22'],
    ]);
  });

  it("IRH on Mon 3 Mar 2025: advocates' meeting 7 WD before is Thu 20 Feb 2025", () => {
    const planned = deadlinesBeforeHearing('issue-resolution', d('2025-03-03'), pack);
    expect(planned.find((p) => p.kind === 'irh-advocates-meeting')?.deadline.dueDate).toBe('2025-02-20');
  });

  it('urgent hearings (EPO, interim care order) carry no standard pre-hearing deadlines', () => {
    expect(deadlinesBeforeHearing('emergency-protection-order', d('2025-03-03'), pack)).toEqual([]);
  });
});

describe('extensions (s.32(8))', () => {
  it('"8 weeks" granted before the end runs 8 weeks from the current end: Sun 6 Jul → Sun 31 Aug 2025', () => {
    const decision = decideExtension({ currentEndDate: d('2025-07-06'), grantedOn: d('2025-07-01'), eightWeeks: true }, pack);
    expect(decision).toMatchObject({ allowed: true, newEndDate: '2025-08-31', latestAllowedEndDate: '2025-08-31' });
    expect(decision.allowed && decision.deadline).toMatchObject({ ruleId: 'proceedings-extension-limit', dueDate: '2025-08-31' });
  });

  it('an explicit earlier end is kept as given', () => {
    expect(
      decideExtension({ currentEndDate: d('2025-07-06'), grantedOn: d('2025-07-01'), newEndDate: d('2025-08-01') }, pack),
    ).toMatchObject({
      allowed: true,
      newEndDate: '2025-08-01',
    });
  });

  it('refuses an end beyond s.32(8) and states the latest allowed date', () => {
    const decision = decideExtension({ currentEndDate: d('2025-07-06'), grantedOn: d('2025-07-01'), newEndDate: d('2025-09-01') }, pack);
    expect(decision).toMatchObject({ allowed: false, latestAllowedEndDate: '2025-08-31' });
    expect(decision.allowed === false && decision.message).toContain('the latest allowed end date is Sun 31 Aug 2025');
  });

  it('granted after the end, the 8 weeks run from the grant day', () => {
    expect(decideExtension({ currentEndDate: d('2025-07-06'), grantedOn: d('2025-07-20'), eightWeeks: true }, pack)).toMatchObject({
      newEndDate: '2025-09-14',
    });
  });

  it('a second extension counts from the end of the first', () => {
    expect(
      decideExtension({ currentEndDate: d('2025-08-31'), grantedOn: d('2025-08-25'), newEndDate: d('2025-10-26') }, pack).allowed,
    ).toBe(true);
    expect(
      decideExtension({ currentEndDate: d('2025-08-31'), grantedOn: d('2025-08-25'), newEndDate: d('2025-10-27') }, pack).allowed,
    ).toBe(false);
  });
});

describe('projected drift', () => {
  const base = { completionDate: d('2025-07-06'), noFinalHearingWarningOn: d('2025-05-26'), warningWeek: 20, today: d('2025-03-01') };

  it('a final hearing after the completion date is projected drift at once', () => {
    expect(projectDrift({ ...base, finalHearingDate: d('2025-07-07') })).toEqual({
      reason: 'final-hearing-after-completion',
      explanation: "The final hearing is listed for Mon 7 Jul 2025, after the child's completion date Sun 6 Jul 2025",
    });
  });

  it('a final hearing on the last day is in time', () => {
    expect(projectDrift({ ...base, finalHearingDate: d('2025-07-06') })).toBeNull();
  });

  it('no final hearing is only a warning from the configured week', () => {
    expect(projectDrift(base)).toBeNull();
    expect(projectDrift({ ...base, today: d('2025-05-26') })).toMatchObject({
      reason: 'no-final-hearing-listed',
      explanation: expect.stringContaining('week 20'),
    });
  });
});
