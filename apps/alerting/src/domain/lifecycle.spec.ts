import { acknowledge, AlertStateConflict, automaticResolution, resolve } from './lifecycle';

describe('alert lifecycle', () => {
  it('goes open → acknowledged → resolved', () => {
    expect(acknowledge({ state: 'open' })).toEqual({ from: 'open', to: 'acknowledged', transition: 'acknowledged' });
    expect(resolve({ state: 'acknowledged' }, 'manager', 'visit made, recorded late')).toEqual({
      from: 'acknowledged',
      to: 'resolved',
      transition: 'resolved',
    });
    expect(resolve({ state: 'open' }, 'met-late')).toEqual({ from: 'open', to: 'resolved', transition: 'resolved' });
  });

  it('refuses what the current state does not allow, naming the state', () => {
    for (const state of ['acknowledged', 'resolved'] as const) {
      expect(() => acknowledge({ state })).toThrow(AlertStateConflict);
      expect(() => acknowledge({ state })).toThrow(`the alert is ${state}`);
    }
    try {
      resolve({ state: 'resolved' }, 'manager', 'again');
      throw new Error('expected a conflict');
    } catch (error) {
      expect((error as AlertStateConflict).currentState).toBe('resolved');
    }
  });

  it('needs a reason when a manager resolves', () => {
    expect(() => resolve({ state: 'open' }, 'manager', '  ')).toThrow(/reason/);
  });

  it('resolves automatically from what happened to the obligation', () => {
    const due = '2026-11-16';
    expect(automaticResolution({ status: 'satisfied', dueDate: due, satisfiedOn: '2026-11-18' }, due)).toBe('met-late');
    expect(automaticResolution({ status: 'satisfied', dueDate: due, satisfiedOn: '2026-11-16' }, due)).toBe('met');
    expect(automaticResolution({ status: 'cancelled', dueDate: due, satisfiedOn: null }, due)).toBe('ended');
    expect(automaticResolution({ status: 'open', dueDate: '2026-11-30', satisfiedOn: null }, due)).toBe('rescheduled');
    expect(automaticResolution({ status: 'open', dueDate: due, satisfiedOn: null }, due)).toBeUndefined();
  });
});
