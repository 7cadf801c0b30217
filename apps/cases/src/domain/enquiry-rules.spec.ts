import { cancelsIcpc, missingAgencies } from './enquiry-rules';

describe('enquiry rules', () => {
  it('names each agency Working Together expects at a strategy discussion that was not there', () => {
    expect(missingAgencies([{ agency: 'council' }, { agency: 'education' }])).toEqual(['police', 'health']);
    expect(missingAgencies([{ agency: 'health' }, { agency: 'police' }, { agency: 'council' }, { agency: 'other' }])).toEqual([]);
    expect(missingAgencies([])).toEqual(['council', 'police', 'health']);
  });

  it('cancels the ICPC only when the enquiry ends without one', () => {
    expect(cancelsIcpc('icpc')).toBe(false);
    expect(cancelsIcpc('cin-plan')).toBe(true);
    expect(cancelsIcpc('no-further-action')).toBe(true);
  });
});
