import { ChildProceedingsConcludedV1, ExtensionGrantedV1, HearingDetails, HearingMovedV1 } from '@plo/contracts';
import { conclusionLine, extensionLine, hearingLine, missedLine } from './court-record';

describe("the chronology's lines for PLO's court record and alerting's missed timescales", () => {
  const hearing: HearingDetails = {
    caseId: 'c',
    proceedingsId: 'p',
    hearingId: 'h',
    hearingType: 'case-management',
    startsAt: '2026-11-16T10:00:00Z',
    hearingDate: '2026-11-16',
    venue: 'Northtown Family Court',
    listingStatus: 'fixed',
    status: 'listed',
    source: 'manual',
  };

  it('says where a hearing is, where it moved from, and what came of it', () => {
    expect(hearingLine(hearing)).toBe('Case management hearing listed at Northtown Family Court');
    const moved: HearingMovedV1 = { ...hearing, previousHearingDate: '2026-11-11', previousStartsAt: '2026-11-11T10:00:00Z' };
    expect(hearingLine(moved)).toBe('Case management hearing listed at Northtown Family Court (moved from 2026-11-11)');
    expect(hearingLine({ ...hearing, hearingType: 'final', venue: undefined, status: 'held', outcome: 'Care order made' })).toBe(
      'Final hearing held: Care order made',
    );
    expect(hearingLine({ ...hearing, hearingType: 'other', venue: undefined, status: 'vacated-and-relisted' })).toBe(
      'Hearing vacated and relisted',
    );
  });

  it('says how far an extension moved the 26 weeks and why, and whether the proceedings ended in time', () => {
    const extension = { previousEndDate: '2027-04-26', newEndDate: '2027-06-21', reason: 'international-aspect' } as ExtensionGrantedV1;
    expect(extensionLine(extension)).toBe('Extension granted: 26 weeks extended from 2027-04-26 to 2027-06-21 (international aspect)');
    const concluded = { outcome: 'withdrawn', completionDate: '2027-04-26', withinTimescale: false } as ChildProceedingsConcludedV1;
    expect(conclusionLine(concluded)).toBe("Care proceedings concluded (withdrawn), after the child's completion date 2027-04-26");
  });

  it('names what was not done by its due date, a kind it does not know by its words', () => {
    expect(missedLine('lac-review', '2026-10-26', '20 working days after becoming looked after')).toBe(
      'Looked-after review not done by 2026-10-26: 20 working days after becoming looked after',
    );
    expect(missedLine('referral-decision', '2026-10-02', '1 working day')).toBe('Referral decision not done by 2026-10-02: 1 working day');
  });
});
