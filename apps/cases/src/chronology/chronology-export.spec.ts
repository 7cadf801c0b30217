import { csvCell } from '@plo/platform';
import { chronologyCsv, exportFileName } from './chronology-export';

describe('chronology exports', () => {
  it('disarms cells a spreadsheet would run as formulas, and quotes what CSV needs quoted', () => {
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('Seen on a home visit, seen alone')).toBe('"Seen on a home visit, seen alone"');
    expect(csvCell('2026-11-02')).toBe('2026-11-02');
  });

  it('answers one line per entry under the header, and a file name from the case reference and the child', () => {
    const chronology = {
      caseId: 'c',
      childId: 'b',
      caseReference: 'T-1/ab',
      childName: "Ben O'Neil",
      entries: [
        {
          date: '2026-11-02',
          event: '@SUM(A1)',
          source: 'cases' as const,
          significance: 'routine' as const,
          recordType: 'visit',
          recordId: 'v',
        },
      ],
    };
    expect(chronologyCsv(chronology)).toBe("date,event,source,significance\r\n2026-11-02,'@SUM(A1),cases,routine\r\n");
    expect(exportFileName(chronology, 'pdf')).toBe('chronology-T-1-ab-Ben-O-Neil.pdf');
  });
});
