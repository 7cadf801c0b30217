import { isInfrastructureFailure } from './inbox';

describe('isInfrastructureFailure', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ driverError: { code: '08006' } }],
    [new Error('Connection terminated unexpectedly')],
  ])('treats %p as the infrastructure’s fault: the message is retried, never dead-lettered', (error) => {
    expect(isInfrastructureFailure(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }],
    [new TypeError("Cannot read properties of undefined (reading 'caseId')")],
  ])('treats %p as the message’s problem: retried a bounded number of times, then dead-lettered', (error) => {
    expect(isInfrastructureFailure(error)).toBe(false);
  });
});
