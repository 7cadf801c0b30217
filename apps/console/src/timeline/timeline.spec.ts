import { driftOf, escapeXml, finalHearing, timelineDescription, TimelineModel, timelineRows, timelineSvg, weeksAndDays } from './timeline';

/** Ana's 26 weeks from Mon 6 Jan 2025 end on Sun 6 Jul 2025; an 8-week extension takes them to 31 Aug. */
const base: TimelineModel = {
  id: 'timeline-1-1',
  childName: 'Ana Sibling',
  issuedOn: '2025-01-06',
  originalLimit: '2025-07-06',
  limit: '2025-07-06',
  extensions: [],
  hearings: [],
  today: '2025-03-03',
  concludedOn: null,
  outcome: null,
  projectedDrift: null,
};
const model = (overrides: Partial<TimelineModel>): TimelineModel => ({ ...base, ...overrides });
const cmhMoved = { id: 'h1', type: 'case-management', date: '2025-01-24', status: 'held', movedFrom: ['2025-01-22'] };
const irhVacated = { id: 'h2', type: 'issue-resolution', date: '2025-03-10', status: 'vacated', movedFrom: [] };
const finalOn = (date: string, status = 'listed') => ({ id: 'h3', type: 'final', date, status, movedFrom: [] });
const extended = {
  limit: '2025-08-31',
  extensions: [{ grantedOn: '2025-01-20', from: '2025-07-06', to: '2025-08-31', reason: 'timetable-for-child' }],
};
/** The text of the SVG's <desc>, as a screen reader gets it. */
const descOf = (svg: string) => /<desc id="[^"]+">([^<]*)<\/desc>/.exec(svg)![1];

describe('a child’s PLO timeline', () => {
  it('is an image with a title and a description in words, sized by its viewBox, with ids of its own', () => {
    const svg = timelineSvg(model({ hearings: [cmhMoved] }));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*role="img"/);
    expect(svg).toContain('aria-labelledby="timeline-1-1-title timeline-1-1-desc"');
    expect(svg).toMatch(/viewBox="0 0 760 \d+"/);
    expect(svg).toContain('width="100%"');
    expect(svg).not.toMatch(/<svg[^>]* height=/);
    expect(svg).toContain('<title id="timeline-1-1-title">PLO timeline for Ana Sibling</title>');
    expect(descOf(svg)).toBe(timelineDescription(model({ hearings: [cmhMoved] })));
    // Patterns and markers belong to this child's drawing, so two on one page do not clash.
    expect([...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]).every((id) => id.startsWith('timeline-1-1-'))).toBe(true);
    // No inline style: the console's content security policy allows none.
    expect(svg).not.toMatch(/style=|<style/);
  });

  it('escapes every text it draws, and ids are reduced to safe characters', () => {
    const hostile = model({ id: 'x"><script>', childName: `<script>alert("x")</script> & O'Brien` });
    const svg = timelineSvg(hostile);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; O&#39;Brien');
    expect(svg).toContain('id="x---script--title"');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('draws the 26 weeks from the issue day with the limit, a week axis and today', () => {
    const svg = timelineSvg(base);
    expect(svg).toContain('>26 weeks</text>');
    expect(svg).toContain('>Limit 6 Jul 2025</text>');
    expect(svg).toContain('>Issued 6 Jan 2025</text>');
    expect(svg).toContain('>Today 3 Mar 2025</text>');
    expect(svg).toContain('>week 0</text>');
    expect(svg).toContain('>26</text>');
    expect(descOf(svg)).toBe(
      'Ana Sibling: care proceedings issued on 6 Jan 2025; the 26 weeks end on 6 Jul 2025. No hearings are listed. No final hearing is listed. Today is 3 Mar 2025. No drift.',
    );
  });

  it('shades an extension as extra weeks, marks the limit as extended and says why it was granted', () => {
    const svg = timelineSvg(model(extended));
    expect(svg).toContain('fill="url(#timeline-1-1-ext)"');
    expect(svg).toContain('>Extension</text>');
    expect(svg).toContain('>Extended limit 31 Aug 2025</text>');
    expect(descOf(svg)).toContain(
      'Extended once: to 31 Aug 2025 (granted 20 Jan 2025, for the timetable for the child). The limit is now 31 Aug 2025.',
    );
  });

  it('ghosts a moved hearing’s first date, struck through, with an arrow to where it went; crosses a vacated one', () => {
    const svg = timelineSvg(model({ hearings: [cmhMoved, irhVacated] }));
    expect(svg).toContain('stroke-dasharray="2 2"');
    expect(svg).toContain('marker-end="url(#timeline-1-1-arrow)"');
    expect(svg).toContain('>CMH 22 Jan</text>');
    expect(svg).toContain('>CMH 24 Jan</text>');
    expect(svg).toContain('>IRH 10 Mar vacated</text>');
    // The struck labels: the first date of the moved hearing and the vacated hearing.
    const struck = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)<\/text>\n<line x1="\1" y1="([\d.]+)"/g)].map((m) => m[3]);
    expect(struck).toEqual(['CMH 22 Jan', 'IRH 10 Mar vacated']);
    expect(descOf(svg)).toContain(
      'Hearings: Case management hearing on 24 Jan 2025, held, moved from 22 Jan 2025; Issues resolution hearing on 10 Mar 2025, vacated.',
    );
  });

  it('lists the hearings for the table in date order, with where each moved from', () => {
    expect(timelineRows(model({ hearings: [irhVacated, finalOn('2025-06-30'), cmhMoved] }))).toEqual([
      { id: 'h1', name: 'Case management hearing', date: '2025-01-24', status: 'held', movedFrom: ['2025-01-22'], final: false },
      { id: 'h2', name: 'Issues resolution hearing', date: '2025-03-10', status: 'vacated', movedFrom: [], final: false },
      { id: 'h3', name: 'Final hearing', date: '2025-06-30', status: 'listed', movedFrom: [], final: true },
    ]);
  });

  it('a final hearing listed within the limit is the projected one, and is no drift', () => {
    const inTime = model({ hearings: [finalOn('2025-06-30')] });
    expect(finalHearing(inTime)?.held).toBe(false);
    expect(driftOf(inTime)).toEqual({ drifting: false, statements: [], until: null });
    const svg = timelineSvg(inTime);
    expect(svg).toContain('>Final 30 Jun (projected)</text>');
    expect(svg).not.toContain('>Drift</text>');
    expect(descOf(svg)).toContain('Final hearing on 30 Jun 2025, listed (the projected final hearing).');
    expect(descOf(svg)).toMatch(/No drift\.$/);
  });

  it('marks drift when the final hearing is projected after the limit, to that hearing', () => {
    const late = model({ hearings: [finalOn('2025-07-21')] });
    expect(driftOf(late)).toEqual({
      drifting: true,
      statements: ['The final hearing is projected for 21 Jul 2025, 2 weeks and 1 day after the limit.'],
      until: '2025-07-21',
    });
    const svg = timelineSvg(late);
    expect(svg).toContain('fill="url(#timeline-1-1-drift)"');
    expect(svg).toContain('>Drift</text>');
    expect(descOf(svg)).toMatch(/Drift: The final hearing is projected for 21 Jul 2025, 2 weeks and 1 day after the limit\.$/);
    // A drift too short to hold its name is named beside it.
    expect(timelineSvg(model({ hearings: [finalOn('2025-07-08')] }))).toContain('>Drift</text>');
    // The same hearing within an extended limit is not drift.
    expect(driftOf({ ...late, ...extended }).drifting).toBe(false);
  });

  it('marks drift when today is past the limit and the proceedings go on, and when they concluded late', () => {
    expect(driftOf(model({ today: '2025-07-10' })).statements).toEqual(['Today is 4 days past the limit and the proceedings go on.']);
    const late = model({
      today: '2025-09-01',
      concludedOn: '2025-07-20',
      outcome: 'final-order',
      hearings: [finalOn('2025-07-20', 'held')],
    });
    expect(driftOf(late)).toEqual({
      drifting: true,
      statements: [
        'The final hearing was held on 20 Jul 2025, 2 weeks after the limit.',
        'The proceedings concluded on 20 Jul 2025, 2 weeks after the limit.',
      ],
      until: '2025-07-20',
    });
    expect(descOf(timelineSvg(late))).toContain('Concluded on 20 Jul 2025 (final order).');
    // Concluded in time, with today long after: no drift, and no today line far off the drawing.
    const inTime = model({ today: '2026-12-06', concludedOn: '2025-06-30', hearings: [finalOn('2025-06-30', 'held')] });
    expect(driftOf(inTime).drifting).toBe(false);
    expect(timelineSvg(inTime)).not.toContain('>Today');
  });

  it('says so when the PLO service projects drift because no final hearing is listed', () => {
    expect(driftOf(model({ projectedDrift: 'no-final-hearing-listed' })).statements).toEqual([
      'No final hearing is listed in time: the PLO service projects drift.',
    ]);
  });

  it('keeps labels of hearings close together apart, in lanes', () => {
    const crowded = model({
      hearings: ['2025-01-20', '2025-01-21', '2025-01-22'].map((date, i) => ({
        id: `c${i}`,
        type: 'other',
        date,
        status: 'listed',
        movedFrom: [],
      })),
    });
    const ys = [...timelineSvg(crowded).matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>Hearing /g)].map((m) => m[1]);
    expect(new Set(ys).size).toBe(3);
  });

  it('counts weeks and days as a person says them', () => {
    expect([weeksAndDays(1), weeksAndDays(5), weeksAndDays(7), weeksAndDays(15), weeksAndDays(22)]).toEqual([
      '1 day',
      '5 days',
      '1 week',
      '2 weeks and 1 day',
      '3 weeks and 1 day',
    ]);
  });
});
